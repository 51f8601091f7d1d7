-- description: What chapter 00_overview shows as its query market, computed here: the edition year's private entities (stock, flows, net change) and the new registrations against the same period a year earlier; the chapter adds only the comparison with last year's published edition (published.market_summary), which exists at render time.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- check: not_null(year, stock)
WITH p AS (
  SELECT
    CAST(getvariable('year') AS INTEGER) AS y,
    CAST(getvariable('cutoff') AS DATE) AS c,
    CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE) AS c1
), same AS (
  SELECT
    count(*) FILTER (WHERE e.established_on BETWEEN make_date(p.y, 1, 1) AND p.c) AS new_cur,
    count(*) FILTER (WHERE e.established_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS new_prev
  FROM market_entities e, p
  WHERE e.is_private
)
SELECT
  s.year,
  s.stock,
  s.growth,
  s.new,
  s.exits,
  s.moved_out,
  -- 净增 is the change of the stock (docs/methodology.md §9), not new - exits
  abs(s.stock - pr.stock) AS net_abs,
  CASE WHEN s.stock >= pr.stock THEN '净增' ELSE '净减' END AS net_word,
  s.private_share,
  -- last year's figures as recomputed today: the base of a change when no edition of
  -- last year was published
  pr.stock AS prev_stock,
  pr.private_share AS prev_private_share,
  same.new_cur::DOUBLE / nullif(same.new_prev, 0) - 1 AS new_growth
FROM market_summary s
LEFT JOIN market_summary pr ON pr.year = s.year - 1
CROSS JOIN same
WHERE s.year = getvariable('year')
