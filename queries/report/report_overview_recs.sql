-- description: What chapter 00_overview shows as its query recs, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- 对策建议: seeds/recommendations.csv keyed by the findings (model report_recommendations)
SELECT
  max(title) FILTER (WHERE rank = 1) AS t1, max(text) FILTER (WHERE rank = 1) AS x1,
  max(title) FILTER (WHERE rank = 2) AS t2, max(text) FILTER (WHERE rank = 2) AS x2,
  max(title) FILTER (WHERE rank = 3) AS t3, max(text) FILTER (WHERE rank = 3) AS x3,
  max(title) FILTER (WHERE rank = 4) AS t4, max(text) FILTER (WHERE rank = 4) AS x4,
  max(title) FILTER (WHERE rank = 5) AS t5, max(text) FILTER (WHERE rank = 5) AS x5,
  max(title) FILTER (WHERE rank = 6) AS t6, max(text) FILTER (WHERE rank = 6) AS x6,
  max(title) FILTER (WHERE rank = 7) AS t7, max(text) FILTER (WHERE rank = 7) AS x7,
  max(title) FILTER (WHERE rank = 8) AS t8, max(text) FILTER (WHERE rank = 8) AS x8
FROM report_recommendations
