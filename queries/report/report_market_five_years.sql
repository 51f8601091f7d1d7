-- description: What chapter 01_market shows as its query five_years, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
SELECT
  min(year) AS first_year,
  arg_min(stock, year) AS first_stock,
  power(arg_max(stock, year)::DOUBLE / nullif(arg_min(stock, year), 0), 1.0 / nullif(max(year) - min(year), 0)) - 1 AS cagr,
  sum(new)::BIGINT AS new_total
FROM market_summary
WHERE year BETWEEN getvariable('year') - 4 AND getvariable('year')
