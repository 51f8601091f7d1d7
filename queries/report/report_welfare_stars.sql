-- description: What chapter 04_welfare shows as its query stars, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row per star level
-- check: unique(stars)
-- check: not_null(stars)
SELECT
  s.stars,
  s.min_index,
  count(i.uscc) AS enterprises
FROM welfare_stars s
LEFT JOIN public_welfare_index i ON i.stars = s.stars
GROUP BY s.stars, s.min_index
ORDER BY s.min_index DESC
