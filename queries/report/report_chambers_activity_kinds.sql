-- description: What chapter 05_chambers shows as its query activity_kinds, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 05_chambers
-- check: unique(activity_kind)
-- check: not_null(activity_kind)
SELECT coalesce(a.kind, '其他') AS activity_kind, count(*) AS activities
FROM chamber_activities a
WHERE year(a.held_on) = getvariable('year')
  AND a.held_on <= CAST(getvariable('cutoff') AS DATE)
  AND NOT coalesce(a.orphan, false)
GROUP BY 1
ORDER BY array_position(['会员大会', '理事会', '品牌活动', '培训', '其他'], activity_kind) NULLS LAST, activity_kind
