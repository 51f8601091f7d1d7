-- description: What chapter 02_appeals shows as its query peak, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
WITH m AS (
  SELECT month, sum(received)::BIGINT AS received
  FROM appeal_by_month
  GROUP BY month
)
SELECT
  -- ties go to the earliest month (arg_max would pick any of them)
  first(month ORDER BY received DESC, month) AS peak_month,
  max(received) AS peak_received,
  first(month ORDER BY received, month) AS low_month,
  min(received) AS low_received
FROM m
