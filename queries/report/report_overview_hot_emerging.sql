-- description: What chapter 00_overview shows as its query hot_emerging, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- the most significant emerging appeal topic of the year (a lexicon term or a new phrase), if any
WITH e AS (
  SELECT term AS item, appeals, prev_appeals, z FROM appeal_emerging_terms WHERE year = getvariable('year')
  UNION ALL
  SELECT phrase, appeals, prev_appeals, z FROM appeal_new_phrases WHERE year = getvariable('year')
)
SELECT
  z, item, appeals, prev_appeals FROM e ORDER BY z DESC, item LIMIT 1
