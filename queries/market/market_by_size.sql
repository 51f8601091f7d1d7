-- description: Private stock by size class (大/中/小/微/未知, 2017 rules), years Y-4..Y. Size is judged on the registry's current employees and revenue.
-- check: accepted_values(size_class, '大', '中', '小', '微', '未知')
SELECT
    year,
    size_class,
    CAST(sum(stock) AS BIGINT) AS stock,
    CAST(sum(new) AS BIGINT) AS new
FROM market_cube
WHERE is_private AND year >= getvariable('year') - 4
GROUP BY year, size_class
ORDER BY year, array_position(['大', '中', '小', '微', '未知'], size_class)
