-- description: 民营经济主体 per year Y-4..Y: stock at 31 December (at the cut-off for Y), new, exits, moved out, net, growth on the year before, private share of all market entities.
-- check: unique(year)
-- check: not_null(year, stock)
WITH per_year AS (
    SELECT
        year,
        sum(stock) FILTER (WHERE is_private) AS stock,
        sum(new) FILTER (WHERE is_private) AS new,
        sum(exits) FILTER (WHERE is_private) AS exits,
        sum(moved_out) FILTER (WHERE is_private) AS moved_out,
        sum(stock) AS all_stock
    FROM market_cube
    GROUP BY year
)
SELECT
    year,
    CAST(coalesce(stock, 0) AS BIGINT) AS stock,
    CAST(coalesce(new, 0) AS BIGINT) AS new,
    CAST(coalesce(exits, 0) AS BIGINT) AS exits,
    CAST(coalesce(moved_out, 0) AS BIGINT) AS moved_out,
    CAST(coalesce(new, 0) - coalesce(exits, 0) AS BIGINT) AS net,
    stock / nullif(lag(stock) OVER (ORDER BY year), 0) - 1 AS growth,
    stock / nullif(all_stock, 0) AS private_share
FROM per_year
QUALIFY year >= getvariable('year') - 4
ORDER BY year
