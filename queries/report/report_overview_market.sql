-- description: What chapter 00_overview shows as its query market, computed here: the edition year's private entities (stock, flows, net change) and the growth of new registrations against the same period a year earlier (chapter 1's, report_market_summary); the chapter adds only the comparison with last year's published edition (published.market_summary), which exists at render time.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- check: not_null(year, stock)
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
  m.new_growth -- against the same period a year earlier, as chapter 1 prints it
FROM market_summary s
LEFT JOIN market_summary pr ON pr.year = s.year - 1
CROSS JOIN report_market_summary m
WHERE s.year = getvariable('year')
