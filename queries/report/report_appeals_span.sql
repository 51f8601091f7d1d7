-- description: What chapter 02_appeals shows as its query span, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
SELECT min(year) AS first_year FROM appeal_kpis
