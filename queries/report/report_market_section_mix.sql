-- description: What chapter 01_market shows as its query section_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
WITH s AS (
  SELECT
    section,
    section_name,
    stock,
    stock::DOUBLE / sum(stock) OVER () AS share,
    CASE WHEN section_name IS NOT NULL THEN row_number() OVER (PARTITION BY section_name IS NULL ORDER BY stock DESC, section) END AS rn
  FROM market_by_section
  WHERE year = getvariable('year')
)
SELECT
  max(section_name) FILTER (WHERE rn = 1) AS first_name,
  max(share) FILTER (WHERE rn = 1) AS first_share,
  max(section_name) FILTER (WHERE rn = 2) AS second_name,
  max(share) FILTER (WHERE rn = 2) AS second_share,
  max(section_name) FILTER (WHERE rn = 3) AS third_name,
  max(share) FILTER (WHERE rn = 3) AS third_share,
  sum(share) FILTER (WHERE rn <= 3) AS top3_share,
  sum(share) FILTER (WHERE section = 'C') AS manufacturing_share,
  sum(stock) FILTER (WHERE section = 'C')::BIGINT AS manufacturing,
  sum(share) FILTER (WHERE section BETWEEN 'F' AND 'T') AS services_share
FROM s
