-- description: Private stock and new entities by GB/T 4754 section (门类), years Y-4..Y; an unknown division is section '?' (未知行业).
SELECT
    c.year,
    c.industry_section AS section,
    coalesce(s.name, '未知行业') AS section_name,
    CAST(sum(c.stock) AS BIGINT) AS stock,
    CAST(sum(c.new) AS BIGINT) AS new
FROM market_cube c
LEFT JOIN ref_sections s ON s.section = c.industry_section
WHERE c.is_private AND c.year >= getvariable('year') - 4
GROUP BY ALL
ORDER BY c.year, section
