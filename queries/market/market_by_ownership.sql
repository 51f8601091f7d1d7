-- description: Private stock, new entities and exits by ownership (民营企业 vs 个体工商户), years Y-4..Y.
-- check: accepted_values(ownership, '民营', '个体')
SELECT
    year,
    ownership,
    CAST(sum(stock) AS BIGINT) AS stock,
    CAST(sum(new) AS BIGINT) AS new,
    CAST(sum(exits) AS BIGINT) AS exits
FROM market_cube
WHERE is_private AND year >= getvariable('year') - 4
GROUP BY ALL
ORDER BY year, ownership
