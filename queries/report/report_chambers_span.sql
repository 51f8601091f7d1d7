-- description: What chapter 05_chambers shows as its query span, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 05_chambers
-- grain: one row (the chapter reads its first row)
SELECT coalesce(min(year), getvariable('year') - 4) AS first_year FROM chamber_summary
