-- description: What chapter 91_quality shows as its query donation_year, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- grain: one row (the chapter reads its first row)
SELECT
  coalesce(max(unverified) FILTER (WHERE year = getvariable('year')), 0) AS unverified,
  coalesce(max(unverified_amount) FILTER (WHERE year = getvariable('year')), 0) AS unverified_amount,
  (SELECT CASE WHEN bool_or(verified_assumed) THEN '捐赠数据未提供“是否到账”字段，全部捐赠视为已核实。' ELSE '' END FROM donations) AS assumed_note
FROM quality_donations
