-- description: What chapter 03_innovation shows as its query span, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT min(year) AS first_year FROM innovation_summary
