-- description: What chapter 02_appeals shows as its query departments, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- check: unique(department)
-- check: not_null(department)
-- the ten departments with most appeals, ranked; 未注明 (no department) is never ranked:
-- it follows them, unranked
SELECT
  CASE WHEN department <> '未注明' THEN row_number() OVER (PARTITION BY department = '未注明' ORDER BY received DESC, department) END AS rank,
  department,
  received,
  share,
  common_due,
  on_time_rate,
  closure_rate,
  satisfaction_rate,
  median_response_workdays
FROM appeal_by_department
QUALIFY department = '未注明' OR row_number() OVER (PARTITION BY department = '未注明' ORDER BY received DESC, department) <= 10
ORDER BY department = '未注明', received DESC, department
