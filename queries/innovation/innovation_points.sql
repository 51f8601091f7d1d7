-- description: 创新积分 for every enterprise-year row of the declarations: the value and score of each of the 11 indicators (weights and full-score references from seeds/innovation_indicators.csv), points rounded to 6 decimals, and the rank within the year among private subjects of the registry (orphans and other ownerships get points but no rank; ties: R&D expense desc, then credit code). As published: for a 个体工商户 (natural_person, credit code 92…) the R&D expense, revenue, revenue of the year before and the R&D-expense score t2 (which gives the amount back) are NULL (docs/methodology.md §9); aggregates take the amounts from the declarations (innovation).
-- grain: one row per declaration (uscc × year)
-- unit: points 0-100; money in 万元
-- check: unique(uscc, year)
-- check: not_null(uscc, year, points)
WITH w AS (
    SELECT
        max(weight) FILTER (WHERE code = 't1') AS w_t1, max(reference) FILTER (WHERE code = 't1') AS r_t1,
        max(weight) FILTER (WHERE code = 't2') AS w_t2, max(reference) FILTER (WHERE code = 't2') AS r_t2,
        max(weight) FILTER (WHERE code = 't3') AS w_t3, max(reference) FILTER (WHERE code = 't3') AS r_t3,
        max(weight) FILTER (WHERE code = 't4') AS w_t4, max(reference) FILTER (WHERE code = 't4') AS r_t4,
        max(weight) FILTER (WHERE code = 't5') AS w_t5, max(reference) FILTER (WHERE code = 't5') AS r_t5,
        max(weight) FILTER (WHERE code = 't6') AS w_t6, max(reference) FILTER (WHERE code = 't6') AS r_t6,
        max(weight) FILTER (WHERE code = 'g1') AS w_g1, max(reference) FILTER (WHERE code = 'g1') AS r_g1,
        max(weight) FILTER (WHERE code = 'g2') AS w_g2, max(reference) FILTER (WHERE code = 'g2') AS r_g2,
        max(weight) FILTER (WHERE code = 'g3') AS w_g3, max(reference) FILTER (WHERE code = 'g3') AS r_g3,
        max(weight) FILTER (WHERE code = 's1') AS w_s1, max(reference) FILTER (WHERE code = 's1') AS r_s1,
        max(weight) FILTER (WHERE code = 's2') AS w_s2, max(reference) FILTER (WHERE code = 's2') AS r_s2
    FROM innovation_indicators
),
decl AS (
    SELECT
        i.*,
        -- the declaration of the year before, when there is one
        CASE WHEN lag(i.year) OVER byfirm = i.year - 1 THEN lag(i.revenue) OVER byfirm END AS prev_revenue,
        lag(i.year) OVER byfirm = i.year - 1 AS has_prev_year
    FROM innovation i
    WINDOW byfirm AS (PARTITION BY i.uscc ORDER BY i.year)
),
valued AS (
    SELECT
        d.uscc,
        d.year,
        r.name,
        r.ownership,
        r.district_code,
        r.industry_section,
        coalesce(r.ownership IN ('民营', '个体'), false) AS ranked,
        coalesce(d.orphan, r.uscc IS NULL) AS orphan,
        -- a 个体工商户 (credit code 92…) is a natural person: docs/methodology.md §9
        starts_with(d.uscc, '92') AS natural_person,
        d.rd_expense,
        d.revenue,
        d.rd_staff,
        d.staff,
        d.invention_patents,
        d.other_ip,
        d.standards,
        d.tech_contract_amount,
        d.equity_financing,
        d.prev_revenue,
        coalesce(d.has_prev_year, false) AS has_prev_year,
        coalesce(r.high_tech, false) AS high_tech,
        r.specialized_level,
        -- indicator values; a missing optional count or amount counts as 0
        CASE WHEN d.revenue > 0 THEN d.rd_expense / d.revenue ELSE 0 END AS v_t1,
        CAST(d.rd_expense AS DOUBLE) AS v_t2,
        CASE WHEN d.staff > 0 THEN coalesce(d.rd_staff, 0) / d.staff ELSE 0 END AS v_t3,
        CAST(coalesce(d.invention_patents, 0) AS DOUBLE) AS v_t4,
        CAST(coalesce(d.other_ip, 0) AS DOUBLE) AS v_t5,
        CAST(coalesce(d.standards, 0) AS DOUBLE) AS v_t6,
        CASE WHEN d.prev_revenue > 0 THEN greatest(d.revenue / d.prev_revenue - 1, 0) ELSE 0 END AS v_g1,
        CAST(coalesce(d.tech_contract_amount, 0) AS DOUBLE) AS v_g2,
        CAST(coalesce(d.equity_financing, 0) AS DOUBLE) AS v_g3,
        CASE WHEN r.high_tech THEN 1.0 ELSE 0.0 END AS v_s1,
        CASE r.specialized_level
            WHEN '创新型中小企业' THEN 1.0
            WHEN '专精特新中小企业' THEN 2.0
            WHEN '小巨人' THEN 3.0
            WHEN '单项冠军' THEN 4.0
            ELSE 0.0
        END AS v_s2
    FROM decl d
    LEFT JOIN registry r ON r.uscc = d.uscc
),
scored AS (
    -- indicator score = weight × min(value / reference, 1)
    SELECT
        v.*,
        w.w_t1 * least(v.v_t1 / w.r_t1, 1) AS t1,
        w.w_t2 * least(v.v_t2 / w.r_t2, 1) AS t2,
        w.w_t3 * least(v.v_t3 / w.r_t3, 1) AS t3,
        w.w_t4 * least(v.v_t4 / w.r_t4, 1) AS t4,
        w.w_t5 * least(v.v_t5 / w.r_t5, 1) AS t5,
        w.w_t6 * least(v.v_t6 / w.r_t6, 1) AS t6,
        w.w_g1 * least(v.v_g1 / w.r_g1, 1) AS g1,
        w.w_g2 * least(v.v_g2 / w.r_g2, 1) AS g2,
        w.w_g3 * least(v.v_g3 / w.r_g3, 1) AS g3,
        w.w_s1 * least(v.v_s1 / w.r_s1, 1) AS s1,
        w.w_s2 * least(v.v_s2 / w.r_s2, 1) AS s2
    FROM valued v
    CROSS JOIN w
),
pointed AS (
    SELECT
        s.*,
        -- rounded to 6 decimals before any comparison, so that equal sums compare equal
        round(t1 + t2 + t3 + t4 + t5 + t6 + g1 + g2 + g3 + s1 + s2, 6) AS points
    FROM scored s
)
SELECT
    uscc,
    year,
    name,
    ownership,
    district_code,
    industry_section,
    ranked,
    orphan,
    natural_person,
    points,
    CASE WHEN ranked THEN CAST(row_number() OVER (PARTITION BY year, ranked ORDER BY points DESC, p.rd_expense DESC, uscc) AS INTEGER) END AS rank,
    t1,
    CASE WHEN NOT natural_person THEN t2 END AS t2,
    t3, t4, t5, t6, g1, g2, g3, s1, s2,
    CASE WHEN NOT natural_person THEN p.rd_expense END AS rd_expense,
    CASE WHEN NOT natural_person THEN revenue END AS revenue,
    CASE WHEN NOT natural_person THEN prev_revenue END AS prev_revenue,
    has_prev_year,
    rd_staff,
    staff,
    invention_patents,
    other_ip,
    standards,
    tech_contract_amount,
    equity_financing,
    high_tech,
    specialized_level,
    v_t1 AS rd_intensity,
    v_t3 AS rd_staff_share,
    v_g1 AS revenue_growth
FROM pointed p
ORDER BY year, rank NULLS LAST, uscc
