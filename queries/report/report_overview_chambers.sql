-- description: What chapter 00_overview shows as its query chambers, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
SELECT
  coalesce(max(chambers) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) AS chambers,
  coalesce(max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) AS hollow,
  max(hollow_share) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS hollow_share,
  max(hollow_share) FILTER (WHERE year = getvariable('year') AND kind = '全部')
    - max(hollow_share) FILTER (WHERE year = getvariable('year') - 1 AND kind = '全部') AS hollow_share_change,
  max(activities) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS activities,
  max(activities) FILTER (WHERE year = getvariable('year') AND kind = '全部')::DOUBLE
    / nullif(max(activities) FILTER (WHERE year = getvariable('year') - 1 AND kind = '全部'), 0) - 1 AS activities_growth,
  max(fee_collection_rate) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS fee_rate,
  CASE WHEN coalesce(max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) = 0
    THEN '未发现空心化商会'
    ELSE '空心化商会' || max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部') || '家' END AS hollow_phrase
FROM chamber_summary
