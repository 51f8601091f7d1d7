-- description: Private innovation declarations of the edition year Y by GB/T 4754 section of the registry (unknown division '?' = 未知行业): declarants, R&D expense, revenue, R&D intensity, patents, mean points, enterprises on the incentive list.
-- grain: one row per section
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(section)
WITH g AS (
    SELECT
        coalesce(p.industry_section, '?') AS section_key,
        coalesce(s.name, '未知行业') AS section_label,
        count(*) AS declarants,
        sum(p.rd_expense) AS rd_expense,
        sum(p.revenue) AS revenue,
        CAST(coalesce(sum(p.invention_patents), 0) AS BIGINT) AS invention_patents,
        avg(p.points) AS mean_points,
        count(*) FILTER (WHERE r.incentive) AS incentive
    FROM innovation_points p
    LEFT JOIN ref_sections s ON s.section = p.industry_section
    LEFT JOIN rd_intensity_ranking r ON r.uscc = p.uscc AND r.year = p.year
    WHERE p.ranked AND p.year = getvariable('year')
    GROUP BY ALL
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    section_key AS section,
    section_label AS section_name,
    declarants,
    rd_expense,
    revenue,
    rd_expense / nullif(revenue, 0) AS rd_intensity,
    invention_patents,
    mean_points,
    incentive
FROM g
ORDER BY section_key
