-- description: What chapter 04_welfare shows as its query span, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
SELECT min(year) AS first_year FROM welfare_summary
