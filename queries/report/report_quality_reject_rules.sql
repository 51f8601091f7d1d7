-- description: What chapter 91_quality shows as its query reject_rules, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  -- the rule's Chinese label, from the source contract (ref_reject_rules)
  coalesce(rr.titles[list_position(rr.keys, rule)], rule) AS rule_label,
  sum(rows_rejected)::BIGINT AS rows_rejected
FROM quality_rejects
CROSS JOIN (SELECT list(rule ORDER BY position) AS keys, list(title ORDER BY position) AS titles FROM ref_reject_rules) rr
GROUP BY ALL
ORDER BY rows_rejected DESC, rule_label
