-- description: What chapter 02_appeals shows as its query hot_new_text, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
WITH e AS (
  SELECT term AS item, false AS is_phrase, appeals, prev_appeals, z FROM appeal_emerging_terms WHERE year = getvariable('year')
  UNION ALL
  SELECT phrase, true, appeals, prev_appeals, z FROM appeal_new_phrases WHERE year = getvariable('year')
), r AS (
  SELECT *, row_number() OVER (ORDER BY z DESC, item) AS rn FROM e
)
SELECT
  count(*) AS n,
  string_agg('“' || item || '”（' || appeals || '件，上年' || prev_appeals || '件）', '、' ORDER BY rn) FILTER (WHERE rn <= 5) AS items_text,
  count(*) FILTER (WHERE is_phrase) AS phrases,
  string_agg('“' || item || '”', '、' ORDER BY rn) FILTER (WHERE is_phrase AND rn <= 5) AS phrases_text
FROM r
