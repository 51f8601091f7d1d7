-- description: Counts of market entities alive, new, exited and moved out for each of the years Y-5..Y, by ownership, district, section and size class; one scan of the registry feeds every market table.
-- grain: year × ownership × district × section × size class
-- check: not_null(year, ownership)
WITH years AS (
    SELECT
        y AS year,
        -- stock is counted at 31 December, or at the cut-off C for the edition year
        CASE WHEN y = getvariable('year') THEN getvariable('cutoff') ELSE make_date(CAST(y AS INTEGER), 12, 31) END AS as_at
    FROM range(getvariable('year') - 5, getvariable('year') + 1) t(y)
)
SELECT
    CAST(y.year AS INTEGER) AS year,
    e.ownership,
    e.is_private,
    e.district_code,
    e.industry_section,
    e.size_class,
    -- alive at d: established on or before d, and not left on or before d (an entity that left with no date is alive at no date)
    count(*) FILTER (WHERE e.established_on <= y.as_at AND NOT (e.has_left AND (e.left_on <= y.as_at OR e.left_on IS NULL))) AS stock,
    count(*) FILTER (WHERE year(e.established_on) = y.year) AS new,
    count(*) FILTER (WHERE e.status IN ('revoked', 'cancelled') AND year(e.left_on) = y.year) AS exits,
    count(*) FILTER (WHERE e.status = 'moved_out' AND year(e.left_on) = y.year) AS moved_out
FROM market_entities e
CROSS JOIN years y
GROUP BY ALL
