-- description: What chapter 91_quality shows as its query checks_summary: the data checks of the newest run (check_results), counted by result. A view: the checks run after the models are built, so it is computed when the chapter reads it (the run's render, the preview).
-- chapter: 91_quality
-- materialize: view
-- grain: one row (the chapter reads its first row)
-- check: not_null(checks, verdict)
WITH r AS (
  SELECT * FROM check_results
  WHERE run_id = (SELECT arg_max(run_id, checked_at) FROM check_results)
    -- the chapters' own tables (queries/report/report_<chapter>_<query>) are listed only
    -- when a check on them fails
    AND NOT (regexp_matches(model, '^report_(overview|market|appeals|innovation|welfare|chambers|monitor|methodology|quality)_') AND status = 'pass')
)
SELECT
  count(*) AS checks,
  count(*) FILTER (WHERE status = 'pass') AS passed,
  count(*) FILTER (WHERE status = 'fail' AND severity = 'error') AS failed_error,
  count(*) FILTER (WHERE status = 'fail' AND severity <> 'error') AS failed_warn,
  count(*) FILTER (WHERE status = 'error') AS errored,
  CASE
    WHEN count(*) = 0 THEN '本次编制未运行数据检查'
    WHEN count(*) FILTER (WHERE status <> 'pass') = 0 THEN '全部通过'
    ELSE count(*) FILTER (WHERE status <> 'pass') || '项未通过，详见表中“结果”一栏'
  END AS verdict
FROM r
