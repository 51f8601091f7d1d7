-- description: What chapter 04_welfare shows as its query district_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
SELECT
  arg_max(district_name, amount) AS most_name,
  max(amount) AS most_amount,
  max(share) AS most_share
FROM welfare_by_district
WHERE district_code NOT IN ('其他', '未知') -- a placeholder is never "the district with most"
