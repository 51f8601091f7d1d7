-- description: Health of each chamber of commerce per year Y-4..Y (chambers established by the year's cut-off): activities held in the year, whether a 会员大会 was held in the year or the year before, hollow (空心化: fewer than chamber_min_activities activities, or no 会员大会 in those two years) and the fee collection rate by amount (Σ collected / Σ due). Empty when the optional chamber sources are.
-- grain: one row per chamber × year
-- unit: activities; fee amounts in 万元; rate a fraction
-- check: unique(chamber_id, year)
-- check: not_null(chamber_id, year, activities, hollow)
WITH params AS (
    SELECT
        CAST(getvariable('cutoff') AS DATE) AS cutoff,
        (SELECT CAST(value AS INTEGER) FROM thresholds WHERE name = 'chamber_min_activities') AS min_activities
),
years AS (
    SELECT CAST(y AS INTEGER) AS year, least(make_date(CAST(y AS INTEGER), 12, 31), p.cutoff) AS as_at
    FROM range(getvariable('year') - 4, getvariable('year') + 1) t(y)
    CROSS JOIN params p
),
acts AS (
    -- activities of known chambers, dated on or before the cut-off, per chamber and year
    SELECT
        a.chamber_id,
        CAST(year(a.held_on) AS INTEGER) AS year,
        count(*) AS activities,
        count(*) FILTER (WHERE a.kind = '会员大会') AS general_assemblies,
        CAST(coalesce(sum(a.participants), 0) AS BIGINT) AS participants
    FROM chamber_activities a
    CROSS JOIN params p
    WHERE a.held_on <= p.cutoff
      AND NOT coalesce(a.orphan, false)
    GROUP BY ALL
),
fees AS (
    -- a fee row without an amount due does not enter the rate
    SELECT chamber_id, year, sum(due) AS fees_due, sum(coalesce(collected, 0)) AS fees_collected
    FROM chamber_fees
    WHERE due IS NOT NULL
    GROUP BY ALL
)
SELECT
    c.chamber_id,
    y.year,
    c.name,
    c.kind,
    c.established_on,
    c.member_count,
    coalesce(a.activities, 0) AS activities,
    coalesce(a.general_assemblies, 0) AS general_assemblies,
    coalesce(a.participants, 0) AS participants,
    coalesce(a.general_assemblies, 0) + coalesce(a1.general_assemblies, 0) > 0 AS had_general_assembly_2y,
    coalesce(a.activities, 0) < p.min_activities
        OR coalesce(a.general_assemblies, 0) + coalesce(a1.general_assemblies, 0) = 0 AS hollow,
    f.fees_due,
    f.fees_collected,
    f.fees_collected / nullif(f.fees_due, 0) AS fee_collection_rate
FROM chambers c
CROSS JOIN years y
CROSS JOIN params p
LEFT JOIN acts a ON a.chamber_id = c.chamber_id AND a.year = y.year
LEFT JOIN acts a1 ON a1.chamber_id = c.chamber_id AND a1.year = y.year - 1
LEFT JOIN fees f ON f.chamber_id = c.chamber_id AND f.year = y.year
WHERE c.established_on IS NULL OR c.established_on <= y.as_at
ORDER BY y.year, c.chamber_id
