-- description: The headline indicators of the findings (seeds/finding_indicators.csv) per year of the five-year window Y-4..Y, one row per indicator and year with a value. A flow (a year's new entities, appeals, donations…) of a year still running (the cut-off before 31 December) is left out: part of a year is not compared with whole years; a stock (at the cut-off) is kept. docs/methodology.md §10.
-- grain: one row per indicator × year
-- unit: as the indicator's format: count = 户/件/家/次, money = 万元, pct = a ratio
-- check: unique(indicator, year)
-- check: not_null(indicator, year, value)
-- check: relationships(indicator, finding_indicators.indicator)
WITH v AS (
    SELECT year, 'stock' AS indicator, stock::DOUBLE AS value FROM market_summary
    UNION ALL SELECT year, 'new', new::DOUBLE FROM market_summary
    UNION ALL SELECT year, 'exits', exits::DOUBLE FROM market_summary
    UNION ALL SELECT year, 'private_share', private_share FROM market_summary
    UNION ALL SELECT year, 'appeals_received', received::DOUBLE FROM appeal_kpis
    UNION ALL SELECT year, 'on_time_rate', on_time_rate FROM appeal_kpis
    UNION ALL SELECT year, 'closure_rate', closure_rate FROM appeal_kpis
    UNION ALL SELECT year, 'satisfaction_rate', satisfaction_rate FROM appeal_kpis
    -- a year without declarations has no R&D figures (not zero)
    UNION ALL SELECT year, 'rd_expense', CASE WHEN declarations > 0 THEN rd_expense::DOUBLE END FROM innovation_summary
    UNION ALL SELECT year, 'rd_intensity', CASE WHEN declarations > 0 THEN rd_intensity END FROM innovation_summary
    UNION ALL SELECT year, 'invention_patents', CASE WHEN declarations > 0 THEN invention_patents::DOUBLE END FROM innovation_summary
    UNION ALL SELECT year, 'donation_amount', total_amount::DOUBLE FROM welfare_summary
    UNION ALL SELECT year, 'donors', donors::DOUBLE FROM welfare_summary
    UNION ALL SELECT year, 'chamber_activities', activities::DOUBLE FROM chamber_summary WHERE kind = '全部'
    UNION ALL SELECT year, 'hollow_share', hollow_share FROM chamber_summary WHERE kind = '全部'
)
SELECT CAST(v.year AS INTEGER) AS year, v.indicator, v.value
FROM v
JOIN finding_indicators i USING (indicator)
WHERE v.value IS NOT NULL AND NOT isnan(v.value)
  AND v.year BETWEEN getvariable('year') - 4 AND getvariable('year')
  AND (i.kind = 'stock' OR v.year < getvariable('year')
       OR CAST(getvariable('cutoff') AS DATE) >= make_date(CAST(v.year AS INTEGER), 12, 31))
ORDER BY v.indicator, v.year
