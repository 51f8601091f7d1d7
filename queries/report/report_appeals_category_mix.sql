-- description: What chapter 02_appeals shows as its query category_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
WITH c AS (
  -- 其他 is not a category that can lead (methodology §9: placeholders are not ranked)
  SELECT category, received, share, row_number() OVER (ORDER BY received DESC, category) AS rn
  FROM appeal_by_category
  WHERE category <> '其他'
)
SELECT
  max(category) FILTER (WHERE rn = 1) AS first_name,
  max(share) FILTER (WHERE rn = 1) AS first_share,
  max(category) FILTER (WHERE rn = 2) AS second_name,
  max(share) FILTER (WHERE rn = 2) AS second_share,
  max(category) FILTER (WHERE rn = 3) AS third_name,
  max(share) FILTER (WHERE rn = 3) AS third_share,
  sum(share) FILTER (WHERE rn <= 3) AS top3_share
FROM c
