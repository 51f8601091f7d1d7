-- description: What chapter 02_appeals shows as its query channel_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
SELECT
  arg_max(coalesce(channel, '其他'), n) AS channel,
  max(n)::DOUBLE / sum(n) AS share
FROM (
  SELECT channel, count(*) AS n
  FROM appeal_deadlines
  WHERE year = getvariable('year')
  GROUP BY ALL
)
