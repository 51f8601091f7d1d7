-- description: Private innovation declarations of the edition year Y in one pass, by district (a district outside the configured list = 其他) and by GB/T 4754 section of the registry (unknown division '?' = 未知行业): declarants, R&D expense, revenue, R&D intensity, patents, mean points, enterprises on the incentive list. innovation_by_district and innovation_by_section select from it.
-- grain: one row per dimension and key
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(dimension, key)
WITH g AS (
    SELECT
        CASE WHEN GROUPING(district_key) = 0 THEN 'district' ELSE 'section' END AS dimension,
        coalesce(district_key, section_key) AS key,
        coalesce(district_label, section_label) AS label,
        count(*) AS declarants,
        sum(rd_expense) AS rd_expense,
        sum(revenue) AS revenue,
        CAST(coalesce(sum(invention_patents), 0) AS BIGINT) AS invention_patents,
        avg(points) AS mean_points,
        count(*) FILTER (WHERE incentive) AS incentive
    FROM (
        SELECT
            coalesce(d.district_code, '其他') AS district_key,
            coalesce(d.name, '其他') AS district_label,
            coalesce(p.industry_section, '?') AS section_key,
            coalesce(s.name, '未知行业') AS section_label,
            -- the declared amounts: innovation_points leaves those of 个体工商户 out, the totals count them
            i.rd_expense, i.revenue, p.invention_patents, p.points, r.incentive
        FROM innovation_points p
        JOIN innovation i ON i.uscc = p.uscc AND i.year = p.year
        LEFT JOIN districts d ON d.district_code = p.district_code
        LEFT JOIN ref_sections s ON s.section = p.industry_section
        LEFT JOIN rd_intensity_ranking r ON r.uscc = p.uscc AND r.year = p.year
        WHERE p.ranked AND p.year = getvariable('year')
    )
    GROUP BY GROUPING SETS ((district_key, district_label), (section_key, section_label))
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    dimension,
    key,
    label,
    declarants,
    rd_expense,
    revenue,
    rd_expense / nullif(revenue, 0) AS rd_intensity,
    invention_patents,
    mean_points,
    incentive
FROM g
