-- description: What chapter 02_appeals shows as its query channels, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
SELECT coalesce(channel, '其他') AS channel, count(*) AS received
FROM appeal_deadlines
WHERE year = getvariable('year')
GROUP BY ALL
ORDER BY received DESC, channel
