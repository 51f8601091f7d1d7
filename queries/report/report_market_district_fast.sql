-- description: What chapter 01_market shows as its query district_fast, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
WITH cur AS (
  SELECT * FROM market_by_district WHERE year = getvariable('year')
), prev AS (
  SELECT district_code, stock FROM market_by_district WHERE year = getvariable('year') - 1
), fastest AS (
  SELECT
    cur.district_name,
    cur.stock::DOUBLE / nullif(prev.stock, 0) - 1 AS growth
  FROM cur
  JOIN prev ON prev.district_code = cur.district_code
  WHERE cur.district_code NOT IN ('其他', '未知')
  ORDER BY growth DESC NULLS LAST, cur.district_code
  LIMIT 1
)
-- Always one row: NULLs (and the sentence left out) when no district has last year's stock.
SELECT fastest.* FROM (SELECT 1) one LEFT JOIN fastest ON true
