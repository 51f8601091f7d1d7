-- description: What chapter 03_innovation shows as its query district_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  arg_max(district_name, rd_expense) AS most_name,
  max(rd_expense) AS most_rd,
  arg_max(rd_expense, rd_expense) / sum(rd_expense) AS most_share,
  arg_max(district_name, rd_intensity) AS intense_name,
  max(rd_intensity) AS intense_rate
FROM innovation_by_district
