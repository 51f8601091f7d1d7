-- description: What chapter 91_quality shows as its query reject_count, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- grain: one row (the chapter reads its first row)
SELECT count(*) AS n, CASE WHEN count(*) > 30 THEN '前30条' ELSE '全部' || count(*) || '条' END AS shown FROM rejects
