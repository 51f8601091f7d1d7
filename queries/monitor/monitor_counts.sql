-- description: Monthly values of the monitoring indicators (docs/monitoring.md) for the city, each configured district and each GB/T 4754 section: every complete month from the first month of the indicator's source (registry or appeals) to the last complete month on or before the extraction date, zeros included. new = private subjects established in the month; exits = private subjects revoked or cancelled with cancelled_on in the month; appeals, arrears (账款拖欠), finance (融资信贷), labour (用工人才) = appeals submitted in the month; late = appeals whose deadline falls in the month and that were not responded by it. Appeals reach a district or section through the registry (an appeal of an enterprise not in it counts for the city only).
-- grain: one row per month × indicator × scope
-- unit: value = 户 (new, exits) or 件 (appeals)
-- check: unique(month, indicator, scope, scope_code)
-- check: not_null(month, indicator, scope, scope_code, scope_name, value)
-- check: accepted_values(indicator, 'new', 'exits', 'appeals', 'arrears', 'finance', 'labour', 'late')
-- check: accepted_values(scope, 'city', 'district', 'section')
WITH params AS (
    -- a month is complete when its last day is on or before the extraction date E
    SELECT CAST(date_trunc('month', CAST(getvariable('as_of') AS DATE) + INTERVAL 1 DAY) - INTERVAL 1 MONTH AS DATE) AS last_month
),
-- not materialized: read by two scans below, each with its own filters (DuckDB would
-- otherwise copy the 10^7 private subjects into a temporary result first: 0.6 s more CPU)
reg AS NOT MATERIALIZED (
    SELECT district_code, industry_section, established_on, status, cancelled_on
    FROM registry
    WHERE ownership IN ('民营', '个体')
),
-- materialized: read twice below (appeal_deadlines carries the registry's section already)
apl AS MATERIALIZED (
    SELECT a.district_code, a.industry_section, a.submitted_on, a.category, a.deadline, a.responded_on
    FROM appeal_deadlines a
),
events AS (
    SELECT 'new' AS indicator, date_trunc('month', established_on) AS month, district_code, industry_section, count(*) AS n
    FROM reg GROUP BY ALL
    UNION ALL
    -- (the exits aggregate only their own rows: an exit date computed for every row costs
    -- more at 10^7 rows)
    SELECT 'exits', date_trunc('month', cancelled_on), district_code, industry_section, count(*)
    FROM reg WHERE status IN ('revoked', 'cancelled') AND cancelled_on IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT unnest(['appeals'] || CASE category WHEN '账款拖欠' THEN ['arrears'] WHEN '融资信贷' THEN ['finance'] WHEN '用工人才' THEN ['labour'] ELSE [] END),
           month, district_code, industry_section, n
    FROM (SELECT category, date_trunc('month', submitted_on) AS month, district_code, industry_section, count(*) AS n FROM apl GROUP BY ALL)
    UNION ALL
    SELECT 'late', date_trunc('month', deadline), district_code, industry_section, count(*)
    FROM apl
    WHERE deadline IS NOT NULL AND (responded_on IS NULL OR responded_on > deadline)
    GROUP BY ALL
),
-- the three scopes from one aggregation (materialized: read for the first months too)
rolled AS MATERIALIZED (
    SELECT
        indicator,
        CAST(month AS DATE) AS month,
        CASE WHEN grouping(district_code) = 0 THEN 'district' WHEN grouping(industry_section) = 0 THEN 'section' ELSE 'city' END AS scope,
        CASE WHEN grouping(district_code) = 0 THEN district_code WHEN grouping(industry_section) = 0 THEN industry_section ELSE 'city' END AS scope_code,
        CAST(sum(n) AS BIGINT) AS value
    FROM events
    GROUP BY GROUPING SETS ((indicator, month), (indicator, month, district_code), (indicator, month, industry_section))
),
scopes AS (
    SELECT 'city' AS scope, 'city' AS scope_code, '全市' AS scope_name, 0 AS scope_order
    UNION ALL
    SELECT 'district', district_code, name, 1 FROM districts
    UNION ALL
    SELECT 'section', section, name, 2 FROM ref_sections
),
indicators AS (
    SELECT indicator, CASE WHEN indicator IN ('new', 'exits') THEN 'registry' ELSE 'appeals' END AS source
    FROM monitor_indicators
),
-- the first month of data of each source, from the city's counts (a month with a count of
-- new subjects or appeals has data; another scan of the registry for it cost 0.2 s CPU)
firsts AS (
    SELECT CASE indicator WHEN 'new' THEN 'registry' ELSE 'appeals' END AS source, min(month) AS first_month
    FROM rolled
    WHERE scope = 'city' AND indicator IN ('new', 'appeals')
    GROUP BY ALL
),
months AS (
    SELECT f.source, CAST(m AS DATE) AS month
    FROM firsts f, params p, range(f.first_month, p.last_month + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)
    WHERE f.first_month IS NOT NULL AND f.first_month <= p.last_month
)
SELECT
    m.month,
    i.indicator,
    s.scope,
    s.scope_code,
    s.scope_name,
    coalesce(r.value, 0) AS value
FROM indicators i
JOIN months m ON m.source = i.source
CROSS JOIN scopes s
LEFT JOIN rolled r ON r.indicator = i.indicator AND r.month = m.month AND r.scope = s.scope AND r.scope_code = s.scope_code
ORDER BY i.indicator, s.scope_order, s.scope_code, m.month
