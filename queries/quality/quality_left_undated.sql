-- description: Market entities whose status says they left the register or the city (revoked, cancelled, moved out) but whose leaving date is missing: they are alive at no date and so missing from every stock; counted by status and ownership for the quality appendix.
-- grain: one row per status × ownership
-- unit: entities
SELECT
    status,
    ownership,
    ownership IN ('民营', '个体') AS is_private,
    count(*) AS entities
FROM registry
WHERE status IN ('revoked', 'cancelled', 'moved_out') AND cancelled_on IS NULL
GROUP BY ALL
ORDER BY status, ownership
