-- description: What chapter 05_chambers shows as its query hollow_list, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 05_chambers
-- grain: one row per hollow chamber
-- check: unique(chamber_id)
-- check: not_null(chamber_id)
SELECT
  chamber_id,
  name,
  kind,
  activities,
  general_assemblies,
  CASE
    WHEN activities < (SELECT CAST(value AS INTEGER) FROM thresholds WHERE name = 'chamber_min_activities')
     AND NOT had_general_assembly_2y THEN '活动不足且两年未召开会员大会'
    WHEN NOT had_general_assembly_2y THEN '两年未召开会员大会'
    ELSE '年度活动不足' || (SELECT CAST(value AS INTEGER) FROM thresholds WHERE name = 'chamber_min_activities') || '次'
  END AS reason
FROM chamber_health
WHERE year = getvariable('year') AND hollow
ORDER BY activities, chamber_id
