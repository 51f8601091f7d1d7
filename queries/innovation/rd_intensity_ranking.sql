-- description: 研发投入强度分档排名 (as published: the revenue and R&D expense of a 个体工商户 are NULL; band_intensity counts them): the private declarations of each year with revenue at least rd_min_revenue (seeds/thresholds.csv, 100 万元), in the revenue bands of seeds/rd_intensity_bands.csv (a band holds its upper bound), ranked within the band by R&D intensity desc, R&D expense desc, credit code; the top ceil(incentive_share × n) of each band form the incentive list.
-- grain: one row per ranked declaration (uscc × year)
-- unit: intensity = R&D expense / revenue (fraction); money in 万元
-- check: unique(uscc, year)
-- check: unique(year, band, band_rank)
-- check: not_null(band, band_rank, incentive)
WITH floor_ AS (
    SELECT CAST(value AS DECIMAL(18, 6)) AS min_revenue FROM thresholds WHERE name = 'rd_min_revenue'
),
banded AS (
    SELECT
        p.uscc,
        p.year,
        p.name,
        p.district_code,
        p.industry_section,
        p.natural_person,
        -- the declared amounts (innovation_points leaves those of 个体工商户 out)
        i.rd_expense,
        i.revenue,
        p.points,
        b.band,
        b.name AS band_name,
        CAST(b.incentive_share AS DECIMAL(9, 6)) AS incentive_share,
        i.rd_expense / i.revenue AS intensity,
        -- exact comparison key for the intensity: its first 40 decimals by integer long division,
        -- so that equal ratios tie exactly and different ratios never do (a double may do either)
        -- (widened first: DECIMAL(18,6) × 10^6 overflows DECIMAL(18) for large amounts)
        CAST(CAST(i.rd_expense AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) * CAST(10000000000000000 AS HUGEINT) AS num,
        CAST(CAST(i.revenue AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) AS den
    FROM innovation_points p
    JOIN innovation i ON i.uscc = p.uscc AND i.year = p.year
    CROSS JOIN floor_ f
    JOIN rd_intensity_bands b
        ON (b.revenue_above IS NULL OR i.revenue > b.revenue_above)
       AND (b.revenue_up_to IS NULL OR i.revenue <= b.revenue_up_to)
    WHERE p.ranked AND i.revenue >= f.min_revenue AND i.revenue > 0
),
keyed AS (
    SELECT
        *,
        num // den AS k1,
        ((num % den) * CAST(10000000000000000 AS HUGEINT)) // den AS k2,
        ((((num % den) * CAST(10000000000000000 AS HUGEINT)) % den) * CAST(100000000 AS HUGEINT)) // den AS k3
    FROM banded
),
ranked AS (
    SELECT
        *,
        CAST(row_number() OVER (PARTITION BY year, band ORDER BY k1 DESC, k2 DESC, k3 DESC, rd_expense DESC, uscc) AS INTEGER) AS band_rank,
        count(*) OVER (PARTITION BY year, band) AS band_size,
        -- the band's R&D intensity Σ R&D / Σ revenue over every ranked declaration, 个体工商户 included
        sum(rd_expense) OVER (PARTITION BY year, band) / sum(revenue) OVER (PARTITION BY year, band) AS band_intensity
    FROM keyed
)
SELECT
    uscc,
    year,
    name,
    district_code,
    industry_section,
    CAST(band AS INTEGER) AS band,
    band_name,
    natural_person,
    -- the amounts of a 个体工商户 are never published per enterprise (docs/methodology.md §9)
    CASE WHEN NOT natural_person THEN revenue END AS revenue,
    CASE WHEN NOT natural_person THEN rd_expense END AS rd_expense,
    intensity,
    band_intensity,
    points,
    band_rank,
    band_size,
    CAST(ceil(incentive_share * band_size) AS INTEGER) AS incentive_quota,
    band_rank <= ceil(incentive_share * band_size) AS incentive
FROM ranked
ORDER BY year, band, band_rank
