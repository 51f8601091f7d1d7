-- description: What chapter 01_market shows as its query ownership, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
SELECT
  sum(stock) FILTER (WHERE ownership = '民营')::BIGINT AS enterprises,
  sum(stock) FILTER (WHERE ownership = '个体')::BIGINT AS individuals,
  sum(new) FILTER (WHERE ownership = '民营')::BIGINT AS new_enterprises,
  sum(new) FILTER (WHERE ownership = '个体')::BIGINT AS new_individuals,
  sum(stock) FILTER (WHERE ownership = '民营')::DOUBLE / nullif(sum(stock), 0) AS enterprise_share,
  sum(new) FILTER (WHERE ownership = '民营')::DOUBLE / nullif(sum(new), 0) AS enterprise_new_share
FROM market_by_ownership
WHERE year = getvariable('year')
