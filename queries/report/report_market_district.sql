-- description: The districts' entities in the edition year Y for chapter 01_market's table and text: rank by stock (其他 and 未知 unranked, after the districts), stock, share of the city, growth on last year's stock, new entities and their share.
-- chapter: 01_market
-- grain: one row per district code
-- check: unique(district_code)
-- check: not_null(district_code)
WITH cur AS (
  SELECT * FROM market_by_district WHERE year = getvariable('year')
), prev AS (
  SELECT district_code, stock FROM market_by_district WHERE year = getvariable('year') - 1
)
SELECT
  -- 其他 (entities of no district of the city) is never ranked: it follows the districts
  CASE WHEN cur.district_code NOT IN ('其他', '未知')
    THEN row_number() OVER (PARTITION BY cur.district_code IN ('其他', '未知') ORDER BY cur.stock DESC, cur.district_code) END AS rank,
  cur.district_code,
  cur.district_name,
  cur.stock,
  cur.stock::DOUBLE / sum(cur.stock) OVER () AS share,
  cur.stock::DOUBLE / nullif(prev.stock, 0) - 1 AS growth,
  cur.new,
  cur.new::DOUBLE / sum(cur.new) OVER () AS new_share
FROM cur
LEFT JOIN prev ON prev.district_code = cur.district_code
ORDER BY rank NULLS LAST, cur.district_code
