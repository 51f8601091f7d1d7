-- description: Private innovation declarations of the edition year Y by district (a district outside the configured list = 其他): declarants, R&D expense, revenue, R&D intensity, patents, mean points, enterprises on the incentive list.
-- grain: one row per district
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(district_code)
WITH g AS (
    SELECT
        coalesce(d.district_code, '其他') AS district_key,
        coalesce(d.name, '其他') AS district_label,
        count(*) AS declarants,
        sum(p.rd_expense) AS rd_expense,
        sum(p.revenue) AS revenue,
        CAST(coalesce(sum(p.invention_patents), 0) AS BIGINT) AS invention_patents,
        avg(p.points) AS mean_points,
        count(*) FILTER (WHERE r.incentive) AS incentive
    FROM innovation_points p
    LEFT JOIN districts d ON d.district_code = p.district_code
    LEFT JOIN rd_intensity_ranking r ON r.uscc = p.uscc AND r.year = p.year
    WHERE p.ranked AND p.year = getvariable('year')
    GROUP BY ALL
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    district_key AS district_code,
    district_label AS district_name,
    declarants,
    rd_expense,
    revenue,
    rd_expense / nullif(revenue, 0) AS rd_intensity,
    invention_patents,
    mean_points,
    incentive
FROM g
ORDER BY district_key = '其他', district_key
