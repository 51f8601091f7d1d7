-- description: Verified donations of private enterprises per year Y-4..Y: total amount, donations, donors, 万企兴万村 enterprises and amount, enterprises in the public-welfare index (Y only), and the change on the year before.
-- grain: one row per year
-- unit: amounts in 万元; yoy fractions
-- check: unique(year)
WITH years AS (
    SELECT CAST(y AS INTEGER) AS year FROM range(getvariable('year') - 5, getvariable('year') + 1) t(y)
),
per_year AS (
    SELECT
        year,
        sum(amount) AS total_amount,
        count(*) AS donations,
        count(DISTINCT uscc) AS donors,
        count(DISTINCT uscc) FILTER (WHERE program = '万企兴万村') AS rural_enterprises,
        sum(amount) FILTER (WHERE program = '万企兴万村') AS rural_amount
    FROM welfare_donations
    GROUP BY year
),
indexed AS (
    SELECT year, count(*) AS index_enterprises FROM public_welfare_index GROUP BY year
),
-- A year before the first year the donations cover is outside the data: its figures are
-- unknown (NULL), not 0, so the change of the first year of the data is NULL too.
covered AS (
    SELECT min(year) AS first_year FROM welfare_donations
),
filled AS (
    SELECT
        y.year,
        CASE WHEN y.year >= c.first_year THEN coalesce(p.total_amount, 0) END AS total_amount,
        CASE WHEN y.year >= c.first_year THEN coalesce(p.donations, 0) END AS donations,
        CASE WHEN y.year >= c.first_year THEN coalesce(p.donors, 0) END AS donors,
        CASE WHEN y.year >= c.first_year THEN coalesce(p.rural_enterprises, 0) END AS rural_enterprises,
        CASE WHEN y.year >= c.first_year THEN coalesce(p.rural_amount, 0) END AS rural_amount,
        i.index_enterprises
    FROM years y
    CROSS JOIN covered c
    LEFT JOIN per_year p ON p.year = y.year
    LEFT JOIN indexed i ON i.year = y.year
)
SELECT
    year,
    total_amount,
    donations,
    donors,
    rural_enterprises,
    rural_amount,
    index_enterprises,
    total_amount - lag(total_amount) OVER (ORDER BY year) AS total_change,
    total_amount / nullif(lag(total_amount) OVER (ORDER BY year), 0) - 1 AS total_yoy,
    donors - lag(donors) OVER (ORDER BY year) AS donors_change,
    rural_amount / nullif(lag(rural_amount) OVER (ORDER BY year), 0) - 1 AS rural_yoy
FROM filled
QUALIFY year >= getvariable('year') - 4
ORDER BY year
