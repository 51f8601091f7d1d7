-- description: What chapter 06_monitor shows as its query summary: red / yellow / green per scope and indicator (● 红色, ● 黄色, ○ 正常, — not judged), for each month that can be a status month: the last complete month (is_last_month, the book) and the last month of every quarter (the quarterly report). Sections no indicator can judge that month are left out.
-- chapter: 06_monitor
-- grain: one row per status month × scope
-- check: unique(month, scope, scope_code)
-- check: not_null(month, is_last_month, scope_kind, scope_name, ord)
WITH l AS (SELECT max(month) AS last_month FROM monitor_series),
mb AS (SELECT value AS v FROM monitor_thresholds WHERE name = 'min_baseline'),
cells AS (
  SELECT s.month, s.scope, s.scope_code, s.scope_name, s.indicator,
    CASE WHEN s.level = 'red' THEN '● 红色' WHEN s.level = 'yellow' THEN '● 黄色'
         WHEN s.z IS NULL OR s.baseline < mb.v THEN '—' ELSE '○ 正常' END AS mark
  FROM monitor_series s, mb, l
  WHERE s.month = l.last_month OR month(s.month) % 3 = 0
)
SELECT
  c.month,
  c.month = l.last_month AS is_last_month,
  c.scope,
  c.scope_code,
  CASE c.scope WHEN 'city' THEN '全市' WHEN 'district' THEN '区县' ELSE '行业门类' END AS scope_kind,
  c.scope_name,
  max(c.mark) FILTER (WHERE c.indicator = 'new') AS new,
  max(c.mark) FILTER (WHERE c.indicator = 'exits') AS exits,
  max(c.mark) FILTER (WHERE c.indicator = 'appeals') AS appeals,
  max(c.mark) FILTER (WHERE c.indicator = 'arrears') AS arrears,
  max(c.mark) FILTER (WHERE c.indicator = 'finance') AS finance,
  max(c.mark) FILTER (WHERE c.indicator = 'labour') AS labour,
  max(c.mark) FILTER (WHERE c.indicator = 'late') AS late,
  -- the table's order: the city, the districts, the sections, each by code
  row_number() OVER (PARTITION BY c.month ORDER BY CASE c.scope WHEN 'city' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, c.scope_code) AS ord
FROM cells c, l
GROUP BY c.month, l.last_month, c.scope, c.scope_code, c.scope_name
-- sections no indicator can judge (too few subjects) are left out
HAVING count(*) FILTER (WHERE c.mark <> '—') > 0 OR c.scope <> 'section'
ORDER BY c.month, ord
