-- description: What chapter 90_methodology shows as its query finding_rules, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT count(*) AS n FROM finding_rules
