-- description: What chapter 90_methodology shows as its query stars, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- check: unique(stars)
-- check: not_null(stars)
WITH s AS (
  SELECT min_index, stars, lag(min_index) OVER (ORDER BY min_index DESC) AS upper
  FROM welfare_stars
)
SELECT
  min_index,
  stars,
  CASE
    WHEN upper IS NULL THEN printf('%g', CAST(min_index AS DOUBLE)) || '及以上'
    WHEN min_index <= 0 THEN '低于' || printf('%g', CAST(upper AS DOUBLE))
    ELSE printf('%g', CAST(min_index AS DOUBLE)) || '（含）至' || printf('%g', CAST(upper AS DOUBLE)) || '（不含）'
  END AS index_range
FROM s
ORDER BY min_index DESC
