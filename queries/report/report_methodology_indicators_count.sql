-- description: What chapter 90_methodology shows as its query indicators_count, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT count(*) AS n FROM innovation_indicators
