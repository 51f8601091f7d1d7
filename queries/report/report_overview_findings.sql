-- description: What chapter 00_overview shows as its query findings, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- 主要发现: the findings chosen by seeds/finding_rules.csv (model report_findings, docs/methodology.md §10)
SELECT
  max(sentence) FILTER (WHERE overview_rank = 1) AS s1,
  max(sentence) FILTER (WHERE overview_rank = 2) AS s2,
  max(sentence) FILTER (WHERE overview_rank = 3) AS s3,
  max(sentence) FILTER (WHERE overview_rank = 4) AS s4,
  max(sentence) FILTER (WHERE overview_rank = 5) AS s5,
  max(sentence) FILTER (WHERE overview_rank = 6) AS s6
FROM report_findings
