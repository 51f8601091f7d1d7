-- description: What chapter 02_appeals shows as its query hot_categories, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- check: unique(category)
-- check: not_null(category)
WITH c AS (SELECT category, received FROM appeal_by_category)
SELECT
  c.received,
  t.category,
  string_agg(t.term, '、' ORDER BY t.rank) AS terms
FROM appeal_category_terms t
LEFT JOIN c USING (category)
WHERE t.year = getvariable('year') AND t.rank <= 5
GROUP BY t.category, c.received
ORDER BY t.category = '其他', c.received DESC NULLS LAST, t.category
