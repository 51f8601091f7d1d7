-- description: What chapter 01_market shows as its query lead, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
-- the chapter's first two findings, chosen by seeds/finding_rules.csv (report_findings, docs/methodology.md §10)
SELECT
  max(sentence) FILTER (WHERE chapter_rank = 1) AS s1,
  coalesce(max(sentence) FILTER (WHERE chapter_rank = 2), '') AS s2
FROM report_findings
WHERE chapter = 1
