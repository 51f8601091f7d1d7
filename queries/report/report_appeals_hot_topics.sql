-- description: What chapter 02_appeals shows as its query hot_topics, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- check: unique(rank)
-- check: not_null(rank)
SELECT
  topic || CASE
    WHEN share_change_pp IS NULL THEN ''
    WHEN round(share_change_pp, 1) > 0 THEN ' ▲' || printf('%.1f', share_change_pp)
    WHEN round(share_change_pp, 1) < 0 THEN ' ▼' || printf('%.1f', -share_change_pp)
    ELSE ' 持平' END AS topic_label,
  row_number() OVER (ORDER BY share DESC, topic) AS rank,
  topic,
  appeals,
  enterprises,
  share,
  share_change_pp / 100 AS share_change
FROM appeal_topics
WHERE year = getvariable('year')
ORDER BY share DESC, topic
LIMIT 10
