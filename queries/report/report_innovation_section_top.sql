-- description: What chapter 03_innovation shows as its query section_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  arg_max(section_name, declarants) AS most_name,
  max(declarants) AS most_declarants,
  arg_max(section_name, rd_expense) AS rd_name,
  arg_max(rd_expense, rd_expense) / sum(rd_expense) AS rd_share
FROM innovation_by_section
