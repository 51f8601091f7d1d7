-- description: Private stock and new entities by district, years Y-4..Y; entities whose district is not a configured one are shown as 其他.
-- check: not_null(year, district_name)
SELECT
    c.year,
    coalesce(d.district_code, '其他') AS district_code,
    coalesce(d.name, '其他') AS district_name,
    CAST(sum(c.stock) AS BIGINT) AS stock,
    CAST(sum(c.new) AS BIGINT) AS new,
    CAST(sum(c.exits) AS BIGINT) AS exits
FROM market_cube c
LEFT JOIN districts d ON d.district_code = c.district_code
WHERE c.is_private AND c.year >= getvariable('year') - 4
GROUP BY ALL
ORDER BY c.year, district_code
