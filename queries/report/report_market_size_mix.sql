-- description: What chapter 01_market shows as its query size_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
SELECT
  sum(stock) FILTER (WHERE size_class IN ('小', '微'))::DOUBLE
    / nullif(sum(stock) FILTER (WHERE size_class <> '未知'), 0) AS small_micro_share,
  coalesce(sum(stock) FILTER (WHERE size_class IN ('大', '中')), 0)::BIGINT AS large_medium,
  coalesce(sum(stock) FILTER (WHERE size_class = '未知'), 0)::BIGINT AS unknown,
  sum(stock) FILTER (WHERE size_class = '未知')::DOUBLE / nullif(sum(stock), 0) AS unknown_share
FROM market_by_size
WHERE year = getvariable('year')
