-- description: What chapter 03_innovation shows as its query points_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  count(*) FILTER (WHERE points >= 60) AS high,
  count(*) FILTER (WHERE points >= 60)::DOUBLE / nullif(count(*), 0) AS high_share,
  count(*) FILTER (WHERE points < 30) AS low,
  count(*) FILTER (WHERE points < 30)::DOUBLE / nullif(count(*), 0) AS low_share,
  max(points) AS top_points,
  CASE WHEN count(*) > 10 THEN '前十名' ELSE '全部参评企业' END AS top_label
FROM innovation_points
WHERE ranked AND year = getvariable('year')
