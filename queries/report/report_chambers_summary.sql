-- description: What chapter 05_chambers shows as its query summary, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 05_chambers
-- grain: one row (the chapter reads its first row)
-- aggregates over chamber_summary always give one row, also when no chamber data were supplied
SELECT
  coalesce(max(chambers) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) AS chambers,
  coalesce(max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) AS hollow,
  max(hollow_share) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS hollow_share,
  max(hollow_share) FILTER (WHERE year = getvariable('year') AND kind = '全部')
    - max(hollow_share) FILTER (WHERE year = getvariable('year') - 1 AND kind = '全部') AS hollow_share_change,
  max(activities) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS activities,
  -- activities against the same period of the year before (the whole year once Y is over)
  (SELECT count(*) FILTER (WHERE held_on BETWEEN make_date(getvariable('year'), 1, 1) AND CAST(getvariable('cutoff') AS DATE))::DOUBLE
        / nullif(count(*) FILTER (WHERE held_on BETWEEN make_date(getvariable('year') - 1, 1, 1)
                                    AND CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE)), 0) - 1
     FROM chamber_activities WHERE NOT coalesce(orphan, false)) AS activities_growth,
  CASE WHEN CAST(getvariable('cutoff') AS DATE) < make_date(getvariable('year'), 12, 31)
    THEN '（年度尚未结束，按截至' || strftime(CAST(getvariable('cutoff') AS DATE), '%-m月%-d日') || '的活动情况认定）' ELSE '' END AS running_note,
  max(activities) FILTER (WHERE year = getvariable('year') AND kind = '全部')::DOUBLE
    / nullif(max(chambers) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) AS activities_per_chamber,
  max(fees_due) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS fees_due,
  max(fees_collected) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS fees_collected,
  max(fee_collection_rate) FILTER (WHERE year = getvariable('year') AND kind = '全部') AS fee_rate,
  max(fee_collection_rate) FILTER (WHERE year = getvariable('year') AND kind = '全部')
    - max(fee_collection_rate) FILTER (WHERE year = getvariable('year') - 1 AND kind = '全部') AS fee_rate_change,
  CASE
    WHEN coalesce(max(chambers) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) = 0
      THEN '本年度未报送商会名录、活动和会费数据，本章各项指标暂缺。'
    ELSE '' END AS no_data_note,
  CASE
    WHEN coalesce(max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部'), 0) = 0
      THEN '未发现空心化商会'
    ELSE '空心化商会' || max(hollow) FILTER (WHERE year = getvariable('year') AND kind = '全部') || '家，占'
      || printf('%.1f', 100 * max(hollow_share) FILTER (WHERE year = getvariable('year') AND kind = '全部')) || '%'
  END AS hollow_phrase,
  (SELECT CAST(value AS INTEGER) FROM thresholds WHERE name = 'chamber_min_activities') AS min_activities
FROM chamber_summary
