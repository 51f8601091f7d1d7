-- description: Chambers of commerce per year Y-4..Y, overall (kind 全部) and by kind (行业/异地/区域商会): chambers, hollow chambers and their share, activities, and the fee collection rate by amount (Σ collected / Σ due). Empty when the optional chamber sources are.
-- grain: one row per year × kind
-- unit: shares and rates are fractions 0-1; fee amounts in 万元
-- check: unique(year, kind)
SELECT
    year,
    CASE WHEN GROUPING(kind) = 1 THEN '全部' ELSE coalesce(kind, '未注明') END AS kind,
    count(*) AS chambers,
    count(*) FILTER (WHERE hollow) AS hollow,
    count(*) FILTER (WHERE hollow) / count(*) AS hollow_share,
    CAST(sum(activities) AS BIGINT) AS activities,
    sum(fees_due) AS fees_due,
    sum(fees_collected) AS fees_collected,
    sum(fees_collected) / nullif(sum(fees_due), 0) AS fee_collection_rate
FROM chamber_health
GROUP BY GROUPING SETS ((year), (year, kind))
ORDER BY year, GROUPING(kind) DESC, kind
