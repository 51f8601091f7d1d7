-- description: The alerts of the monitoring (docs/monitoring.md): the months of monitor_series with a level, newest first, with the indicator's title, the ratio of value to expected and the sentence the report prints (e.g. 东湖区2026年3月注销吊销民营主体86户，为预期值的3.1倍，红色预警).
-- grain: one row per month × indicator × scope with a level
-- check: unique(month, indicator, scope, scope_code)
-- check: not_null(month, indicator, scope, scope_code, value, expected, sigma, z, level, sentence)
-- check: accepted_values(level, 'red', 'yellow')
SELECT
    s.month,
    s.indicator,
    i.title AS indicator_title,
    s.scope,
    s.scope_code,
    s.scope_name,
    s.value,
    s.baseline,
    s.expected,
    s.sigma,
    s.z,
    s.level,
    CASE s.level WHEN 'red' THEN '红色' ELSE '黄色' END AS level_name,
    s.value / nullif(s.expected, 0) AS ratio,
    s.scope_name || year(s.month) || '年' || month(s.month) || '月' || i.phrase || s.value || i.unit || '，'
        || CASE
               WHEN s.expected <= 0 THEN '预期值为' || round(s.expected, 1)
               WHEN s.value >= s.expected THEN '为预期值的' || printf('%.1f', s.value / s.expected) || '倍'
               ELSE '仅为预期值的' || printf('%.0f', 100 * s.value / s.expected) || '%'
           END
        || '，' || CASE s.level WHEN 'red' THEN '红色' ELSE '黄色' END || '预警' AS sentence
FROM monitor_series s
JOIN monitor_indicators i USING (indicator)
WHERE s.level IS NOT NULL
ORDER BY s.month DESC, CASE s.level WHEN 'red' THEN 0 ELSE 1 END, s.z DESC, i.ord, s.scope, s.scope_code
