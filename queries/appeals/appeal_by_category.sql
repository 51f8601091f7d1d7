-- description: Appeals of the edition year Y by category (诉求类别), KPIs as at C, largest first.
-- grain: one row per category
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(category)
SELECT year, key AS category, * EXCLUDE (year, dimension, key, label, on_time_rate_all)
FROM appeal_breakdowns
WHERE dimension = 'category'
ORDER BY received DESC, category
