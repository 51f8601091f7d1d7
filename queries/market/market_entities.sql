-- description: Every market entity of the clean registry with what the market chapter needs: private or not, industry section, size class (2017 rules), the day it left.
-- materialize: view
-- grain: one row per credit code
WITH coded AS (
    SELECT
        r.*,
        regexp_replace(coalesce(r.industry_code, ''), '^[A-Za-z]', '') AS code_digits
    FROM registry r
),
ruled AS (
    SELECT
        c.*,
        coalesce(p4.rule, p2.rule, 'other') AS size_rule
    FROM coded c
    LEFT JOIN ref_size_rule_prefixes p4 ON length(p4.prefix) = 4 AND p4.prefix = left(c.code_digits, 4)
    LEFT JOIN ref_size_rule_prefixes p2 ON length(p2.prefix) = 2 AND p2.prefix = left(c.code_digits, 2)
),
measured AS (
    SELECT
        u.*,
        s.*,
        u.employees AS x,
        u.revenue AS y,
        CAST(NULL AS DECIMAL(18, 6)) AS z  -- total assets are not in the registry
    FROM ruled u
    JOIN ref_size_rules s ON s.rule = u.size_rule
)
SELECT
    uscc,
    name,
    ownership,
    ownership IN ('民营', '个体') AS is_private,
    district_code,
    industry_section,
    status,
    established_on,
    CASE WHEN status IN ('revoked', 'cancelled', 'moved_out') THEN cancelled_on END AS left_on,
    status IN ('revoked', 'cancelled', 'moved_out') AS has_left,
    specialized_level,
    coalesce(high_tech, false) AS high_tech,
    size_rule,
    CASE
        -- 微型 needs only one indicator below the small-enterprise floor
        WHEN (small_x IS NOT NULL AND x < small_x)
          OR (small_y IS NOT NULL AND y < small_y)
          OR (small_z IS NOT NULL AND z < small_z) THEN '微'
        -- any other class needs every indicator of the rule
        WHEN (small_x IS NOT NULL AND x IS NULL)
          OR (small_y IS NOT NULL AND y IS NULL)
          OR (small_z IS NOT NULL AND z IS NULL) THEN '未知'
        WHEN (large_x IS NULL OR x >= large_x)
         AND (large_y IS NULL OR y >= large_y)
         AND (large_z IS NULL OR z >= large_z) THEN '大'
        WHEN (medium_x IS NULL OR x >= medium_x)
         AND (medium_y IS NULL OR y >= medium_y)
         AND (medium_z IS NULL OR z >= medium_z) THEN '中'
        ELSE '小'
    END AS size_class
FROM measured
