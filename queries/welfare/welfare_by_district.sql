-- description: Verified donations of private enterprises in the edition year Y by the donor's district (outside the configured list = 其他): donors, amount, 万企兴万村 amount, enterprises in the public-welfare index and their mean index.
-- grain: one row per district
-- unit: amounts in 万元; index 0-100
-- check: unique(district_code)
WITH don AS (
    SELECT
        coalesce(d.district_code, '其他') AS district_code,
        coalesce(d.name, '其他') AS district_name,
        count(DISTINCT w.uscc) AS donors,
        sum(w.amount) AS amount,
        coalesce(sum(w.amount) FILTER (WHERE w.program = '万企兴万村'), 0) AS rural_amount
    FROM welfare_donations w
    LEFT JOIN districts d ON d.district_code = w.district_code
    WHERE w.year = getvariable('year')
    GROUP BY ALL
),
idx AS (
    SELECT
        coalesce(d.district_code, '其他') AS district_code,
        count(*) AS index_enterprises,
        avg(i.index) AS mean_index
    FROM public_welfare_index i
    LEFT JOIN districts d ON d.district_code = i.district_code
    GROUP BY ALL
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    don.district_code,
    don.district_name,
    don.donors,
    don.amount,
    don.amount / sum(don.amount) OVER () AS share,
    don.rural_amount,
    coalesce(idx.index_enterprises, 0) AS index_enterprises,
    idx.mean_index
FROM don
LEFT JOIN idx ON idx.district_code = don.district_code
ORDER BY don.district_code = '其他', don.district_code
