-- description: 民营企业公益指数 of the edition year Y, as published: a 个体工商户's amounts and the values that give them back are NULL (docs/methodology.md §9), listed_total_amount sums every listed enterprise. Eligible: private subjects of the registry (any status) whose verified donations dated in Y total at least welfare_min_donation (seeds/thresholds.csv). Five components (seeds/welfare_components.csv), each clipped to [P5, P95] of the eligible set (quantile_cont, fractions welfare_clip_low/high) and scaled to 0-100 (100 for everyone when P95 = P5); index = Σ weight × score rounded to 6 decimals; rank (ties: Σ amount desc, D3 raw desc, D2 raw desc, credit code) and stars (seeds/welfare_stars.csv).
-- grain: one row per eligible enterprise
-- unit: amounts in 万元; index and scores 0-100
-- check: unique(uscc)
-- check: unique(rank)
-- check: not_null(uscc, index, rank, stars, d3, d5)
WITH params AS (
    SELECT
        CAST(getvariable('year') AS INTEGER) AS y,
        (SELECT CAST(value AS DECIMAL(18, 6)) FROM thresholds WHERE name = 'welfare_min_donation') AS min_total,
        (SELECT CAST(value AS DOUBLE) FROM thresholds WHERE name = 'welfare_clip_low') AS q_low,
        (SELECT CAST(value AS DOUBLE) FROM thresholds WHERE name = 'welfare_clip_high') AS q_high
),
w AS (
    SELECT
        max(weight) FILTER (WHERE code = 'd1') AS w1,
        max(weight) FILTER (WHERE code = 'd2') AS w2,
        max(weight) FILTER (WHERE code = 'd3') AS w3,
        max(weight) FILTER (WHERE code = 'd4') AS w4,
        max(weight) FILTER (WHERE code = 'd5') AS w5
    FROM welfare_components
),
given AS (
    -- verified donations of Y-2..Y per enterprise, one pass (exact decimal sums)
    SELECT
        d.uscc,
        sum(d.amount) FILTER (WHERE year(d.donated_on) = p.y) AS total_amount,
        coalesce(sum(d.amount) FILTER (WHERE year(d.donated_on) = p.y AND d.program = '万企兴万村'), 0) AS rural_amount,
        count(*) FILTER (WHERE year(d.donated_on) = p.y) AS donations,
        count(DISTINCT coalesce(d.program, '其他')) FILTER (WHERE year(d.donated_on) = p.y) AS programs,
        count(DISTINCT year(d.donated_on)) AS years_giving
    FROM donations d
    CROSS JOIN params p
    WHERE d.verified
      AND d.donated_on >= make_date(p.y - 2, 1, 1)
      AND d.donated_on < make_date(p.y + 1, 1, 1)
    GROUP BY d.uscc
),
eligible AS (
    SELECT
        g.*,
        r.name,
        r.district_code,
        r.ownership,
        starts_with(g.uscc, '92') AS natural_person, -- a 个体工商户 (docs/methodology.md §9)
        i.revenue AS innovation_revenue,
        r.revenue AS registry_revenue,
        -- D2's revenue: the first positive of the innovation declaration of Y and the registry
        CASE WHEN i.revenue > 0 THEN i.revenue WHEN r.revenue > 0 THEN r.revenue END AS d2_revenue,
        CASE WHEN i.revenue > 0 THEN 'innovation' WHEN r.revenue > 0 THEN 'registry' ELSE 'imputed' END AS d2_revenue_source
    FROM given g
    CROSS JOIN params p
    JOIN registry r ON r.uscc = g.uscc AND r.ownership IN ('民营', '个体')
    LEFT JOIN innovation i ON i.uscc = g.uscc AND i.year = p.y
    WHERE g.total_amount >= p.min_total
),
raw AS (
    SELECT
        e.*,
        ln(1 + e.total_amount) AS d1_raw,
        e.total_amount / e.d2_revenue AS d2_known,
        CAST(e.years_giving AS DOUBLE) AS d3_raw,
        ln(1 + e.rural_amount) AS d4_raw,
        CAST(e.programs AS DOUBLE) AS d5_raw
    FROM eligible e
),
imputed AS (
    SELECT
        * EXCLUDE (d2_known),
        -- no usable revenue: the median of D2 over the eligible enterprises that have it
        coalesce(d2_known, quantile_cont(d2_known, 0.5) OVER ()) AS d2_raw,
        d2_known IS NULL AS d2_imputed
    FROM raw
),
long AS (
    UNPIVOT (SELECT uscc, d1_raw AS d1, d2_raw AS d2, d3_raw AS d3, d4_raw AS d4, d5_raw AS d5 FROM imputed)
    ON d1, d2, d3, d4, d5 INTO NAME code VALUE raw
),
ordered AS (
    SELECT code, raw, row_number() OVER (PARTITION BY code ORDER BY raw) - 1 AS k, count(*) OVER (PARTITION BY code) AS n
    FROM long
),
positions AS (
    -- quantile_cont's linear interpolation: position h = (n - 1) × q between the sorted values x[floor h] and x[ceil h]
    SELECT o.code, o.raw, o.k, (o.n - 1) * p.q_low AS h_low, (o.n - 1) * p.q_high AS h_high
    FROM ordered o CROSS JOIN params p
),
bounds AS (
    SELECT
        code,
        max(raw) FILTER (WHERE k = floor(h_low)) AS lo_a,
        max(raw) FILTER (WHERE k = ceil(h_low)) AS lo_b,
        max(h_low) - floor(max(h_low)) AS lo_f,
        max(raw) FILTER (WHERE k = floor(h_high)) AS hi_a,
        max(raw) FILTER (WHERE k = ceil(h_high)) AS hi_b,
        max(h_high) - floor(max(h_high)) AS hi_f
    FROM positions
    GROUP BY code
),
pct AS (
    SELECT
        code,
        CASE WHEN lo_f = 0 THEN lo_a ELSE lo_a + lo_f * (lo_b - lo_a) END AS p_low,
        CASE WHEN hi_f = 0 THEN hi_a ELSE hi_a + hi_f * (hi_b - hi_a) END AS p_high
    FROM bounds
),
wide AS (
    SELECT
        max(p_low) FILTER (WHERE code = 'd1') AS p5_d1, max(p_high) FILTER (WHERE code = 'd1') AS p95_d1,
        max(p_low) FILTER (WHERE code = 'd2') AS p5_d2, max(p_high) FILTER (WHERE code = 'd2') AS p95_d2,
        max(p_low) FILTER (WHERE code = 'd3') AS p5_d3, max(p_high) FILTER (WHERE code = 'd3') AS p95_d3,
        max(p_low) FILTER (WHERE code = 'd4') AS p5_d4, max(p_high) FILTER (WHERE code = 'd4') AS p95_d4,
        max(p_low) FILTER (WHERE code = 'd5') AS p5_d5, max(p_high) FILTER (WHERE code = 'd5') AS p95_d5
    FROM pct
),
scored AS (
    -- score = 100 × (clip(raw, P5, P95) − P5) / (P95 − P5); 100 when P95 = P5 (or when nobody has a value)
    SELECT
        i.*,
        q.*,
        CASE WHEN q.p95_d1 > q.p5_d1 THEN 100 * (least(greatest(i.d1_raw, q.p5_d1), q.p95_d1) - q.p5_d1) / (q.p95_d1 - q.p5_d1) ELSE 100 END AS d1,
        CASE WHEN q.p95_d2 > q.p5_d2 THEN 100 * (least(greatest(i.d2_raw, q.p5_d2), q.p95_d2) - q.p5_d2) / (q.p95_d2 - q.p5_d2) ELSE 100 END AS d2,
        CASE WHEN q.p95_d3 > q.p5_d3 THEN 100 * (least(greatest(i.d3_raw, q.p5_d3), q.p95_d3) - q.p5_d3) / (q.p95_d3 - q.p5_d3) ELSE 100 END AS d3,
        CASE WHEN q.p95_d4 > q.p5_d4 THEN 100 * (least(greatest(i.d4_raw, q.p5_d4), q.p95_d4) - q.p5_d4) / (q.p95_d4 - q.p5_d4) ELSE 100 END AS d4,
        CASE WHEN q.p95_d5 > q.p5_d5 THEN 100 * (least(greatest(i.d5_raw, q.p5_d5), q.p95_d5) - q.p5_d5) / (q.p95_d5 - q.p5_d5) ELSE 100 END AS d5
    FROM imputed i
    CROSS JOIN wide q
),
indexed AS (
    SELECT
        s.*,
        -- rounded to 6 decimals before ranking and before the stars
        round(w.w1 * s.d1 + w.w2 * s.d2 + w.w3 * s.d3 + w.w4 * s.d4 + w.w5 * s.d5, 6) AS index
    FROM scored s
    CROSS JOIN w
),
ranked AS (
    SELECT
        *,
        CAST(row_number() OVER (ORDER BY index DESC, total_amount DESC, d3_raw DESC, d2_raw DESC, uscc) AS INTEGER) AS rank
    FROM indexed
)
SELECT
    r.uscc,
    r.name,
    r.district_code,
    r.ownership,
    CAST(getvariable('year') AS INTEGER) AS year,
    r.rank,
    r.index,
    st.stars,
    r.natural_person,
    -- a 个体工商户's amounts, and what gives them back (the raw values and scores of D1,
    -- D2 and D4, the revenue of D2), are never published per enterprise (docs/methodology.md §9)
    CASE WHEN NOT r.natural_person THEN r.total_amount END AS total_amount,
    CASE WHEN NOT r.natural_person THEN r.rural_amount END AS rural_amount,
    -- Σ of total_amount over every enterprise of the index, 个体工商户 included
    sum(r.total_amount) OVER () AS listed_total_amount,
    r.donations,
    CASE WHEN NOT r.natural_person THEN r.d1_raw END AS d1_raw,
    CASE WHEN NOT r.natural_person THEN r.d2_raw END AS d2_raw,
    r.d3_raw,
    CASE WHEN NOT r.natural_person THEN r.d4_raw END AS d4_raw,
    r.d5_raw,
    CASE WHEN NOT r.natural_person THEN r.d1 END AS d1,
    CASE WHEN NOT r.natural_person THEN r.d2 END AS d2,
    r.d3,
    CASE WHEN NOT r.natural_person THEN r.d4 END AS d4,
    r.d5,
    r.d2_imputed,
    CASE WHEN NOT r.natural_person THEN r.d2_revenue END AS d2_revenue,
    r.d2_revenue_source,
    r.p5_d1, r.p95_d1, r.p5_d2, r.p95_d2, r.p5_d3, r.p95_d3, r.p5_d4, r.p95_d4, r.p5_d5, r.p95_d5
FROM ranked r
ASOF LEFT JOIN welfare_stars st ON r.index >= st.min_index
ORDER BY r.rank
