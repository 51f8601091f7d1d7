-- description: What chapter 90_methodology shows as its query finding_indicators, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT count(*) AS n, string_agg(title, '、' ORDER BY CAST(chapter AS INTEGER), indicator) AS titles FROM finding_indicators
