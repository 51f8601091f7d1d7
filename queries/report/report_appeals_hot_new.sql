-- description: What chapter 02_appeals shows as its query hot_new, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- check: unique(rank)
-- check: not_null(rank)
WITH e AS (
  SELECT term AS item, '词表词语' AS kind, appeals, prev_appeals, enterprises, z FROM appeal_emerging_terms WHERE year = getvariable('year')
  UNION ALL
  SELECT phrase, '新短语', appeals, prev_appeals, enterprises, z FROM appeal_new_phrases WHERE year = getvariable('year')
)
SELECT row_number() OVER (ORDER BY z DESC, item) AS rank, item, kind, appeals, prev_appeals, enterprises, z
FROM e
ORDER BY z DESC, item
LIMIT 10
