-- description: What chapter 04_welfare shows as its query star_rule, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
-- the star bands in force (seeds/welfare_stars.csv), highest first
WITH s AS (
  SELECT min_index, stars, lag(min_index) OVER (ORDER BY min_index DESC) AS upper
  FROM welfare_stars
)
SELECT string_agg(
  CASE
    WHEN upper IS NULL THEN printf('%g', CAST(min_index AS DOUBLE)) || '及以上为' || stars
    WHEN min_index <= 0 THEN '低于' || printf('%g', CAST(upper AS DOUBLE)) || '为' || stars
    ELSE printf('%g', CAST(min_index AS DOUBLE)) || '至' || printf('%g', CAST(upper AS DOUBLE)) || '（不含）为' || stars
  END, '，' ORDER BY min_index DESC) AS text
FROM s
