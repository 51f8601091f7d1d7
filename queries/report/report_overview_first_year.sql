-- description: What chapter 00_overview shows as its query first_year, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
SELECT min(year) AS y FROM market_summary WHERE year >= getvariable('year') - 4
