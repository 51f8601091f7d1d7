-- description: What chapter 01_market shows as its query summary, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 01_market
-- grain: one row (the chapter reads its first row)
WITH p AS (
  SELECT
    CAST(getvariable('year') AS INTEGER) AS y,
    CAST(getvariable('cutoff') AS DATE) AS c,
    CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE) AS c1
), same AS (
  -- new entities and exits in the same period of the year before (the whole year once Y is over)
  SELECT
    count(*) FILTER (WHERE e.established_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS new_prev,
    count(*) FILTER (WHERE e.status IN ('revoked', 'cancelled') AND e.left_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS exits_prev
  FROM market_entities e, p
  WHERE e.is_private
)
SELECT
  s.year,
  s.stock,
  s.new,
  s.exits,
  s.moved_out,
  s.net,
  abs(s.net) AS net_abs,
  CASE WHEN s.net >= 0 THEN '多' ELSE '少' END AS balance_word,
  -- 净增 is the change of the stock: new - exits - moved_out - those that left without a date
  CASE WHEN s.stock >= pr.stock THEN '净增' ELSE '净减' END AS stock_diff_word,
  nullif(s.net - s.moved_out - (s.stock - pr.stock), 0) AS left_undated,
  CASE WHEN s.net - s.moved_out = s.stock - pr.stock THEN abs(s.stock - pr.stock) END AS diff_after_moved,
  CASE WHEN s.net - s.moved_out <> s.stock - pr.stock THEN abs(s.stock - pr.stock) END AS diff_after_undated,
  s.growth,
  s.private_share,
  s.stock - pr.stock AS stock_diff,
  s.new::DOUBLE / nullif(same.new_prev, 0) - 1 AS new_growth,
  s.exits::DOUBLE / nullif(same.exits_prev, 0) - 1 AS exits_growth,
  s.private_share - pr.private_share AS share_change,
  s.new::DOUBLE / nullif(s.exits, 0) AS new_per_exit
FROM market_summary AS s
LEFT JOIN market_summary AS pr ON pr.year = s.year - 1
CROSS JOIN same
WHERE s.year = getvariable('year')
