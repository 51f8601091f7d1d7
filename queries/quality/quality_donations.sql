-- description: Donations left out of the public-welfare chapter, per year of donation: unverified donations (not confirmed as received), donations of enterprises not in the registry (orphans) and of enterprises that are not private subjects; counts and amounts.
-- grain: one row per year
-- unit: amounts in 万元
-- check: unique(year)
SELECT
    CAST(year(d.donated_on) AS INTEGER) AS year,
    count(*) AS donations,
    sum(d.amount) AS amount,
    count(*) FILTER (WHERE d.verified IS NOT TRUE) AS unverified,
    coalesce(sum(d.amount) FILTER (WHERE d.verified IS NOT TRUE), 0) AS unverified_amount,
    count(DISTINCT d.uscc) FILTER (WHERE d.verified IS NOT TRUE) AS unverified_enterprises,
    count(*) FILTER (WHERE d.verified AND r.uscc IS NULL) AS verified_orphan,
    coalesce(sum(d.amount) FILTER (WHERE d.verified AND r.uscc IS NULL), 0) AS verified_orphan_amount,
    count(*) FILTER (WHERE d.verified AND r.ownership NOT IN ('民营', '个体')) AS verified_not_private,
    coalesce(sum(d.amount) FILTER (WHERE d.verified AND r.ownership NOT IN ('民营', '个体')), 0) AS verified_not_private_amount
FROM donations d
LEFT JOIN (SELECT uscc, ownership FROM registry) r ON r.uscc = d.uscc
GROUP BY ALL
ORDER BY year
