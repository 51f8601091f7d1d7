-- description: What chapter 00_overview shows as its query market_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
SELECT
  -- a placeholder (其他, 未知, an unknown section) is never the district or section with most
  (SELECT district_name FROM market_by_district WHERE year = getvariable('year') AND district_code NOT IN ('其他', '未知')
     ORDER BY stock DESC, district_code LIMIT 1) AS top_district,
  (SELECT max(stock) FILTER (WHERE district_code NOT IN ('其他', '未知'))::DOUBLE / sum(stock) FROM market_by_district WHERE year = getvariable('year')) AS top_district_share,
  (SELECT section_name FROM market_by_section WHERE year = getvariable('year') AND section_name IS NOT NULL ORDER BY stock DESC, section LIMIT 1) AS top_section,
  (SELECT max(stock) FILTER (WHERE section_name IS NOT NULL)::DOUBLE / sum(stock) FROM market_by_section WHERE year = getvariable('year')) AS top_section_share,
  (SELECT sum(stock) FILTER (WHERE ownership = '个体')::DOUBLE / nullif(sum(stock), 0) FROM market_by_ownership WHERE year = getvariable('year')) AS individual_share,
  (SELECT sum(stock) FILTER (WHERE size_class IN ('小', '微'))::DOUBLE / nullif(sum(stock) FILTER (WHERE size_class <> '未知'), 0)
     FROM market_by_size WHERE year = getvariable('year')) AS small_micro_share,
  (SELECT sum(stock) FILTER (WHERE size_class = '未知')::DOUBLE / nullif(sum(stock), 0)
     FROM market_by_size WHERE year = getvariable('year')) AS unknown_size_share
