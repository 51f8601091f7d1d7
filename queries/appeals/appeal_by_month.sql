-- description: Appeals received in the edition year Y by month of submission and category, every month up to the cut-off × the 12 categories (zeros included), for the heat map.
-- grain: one row per month × category
-- unit: appeals
-- check: unique(month, category)
WITH categories AS (
    SELECT unnest(['融资信贷', '用工人才', '市场准入', '政策落实', '知识产权', '要素保障', '账款拖欠', '涉企执法', '税费', '法律权益', '科技创新', '其他']) AS category,
           generate_subscripts(['融资信贷', '用工人才', '市场准入', '政策落实', '知识产权', '要素保障', '账款拖欠', '涉企执法', '税费', '法律权益', '科技创新', '其他'], 1) AS category_order
),
months AS (
    SELECT CAST(m AS INTEGER) AS month
    FROM range(1, month(CAST(getvariable('cutoff') AS DATE)) + 1) t(m)
),
counts AS (
    SELECT month, category, count(*) AS received, count(*) FILTER (WHERE is_common) AS common_received
    FROM appeal_deadlines
    WHERE year = getvariable('year')
    GROUP BY ALL
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    m.month,
    c.category,
    c.category_order,
    coalesce(n.received, 0) AS received,
    coalesce(n.common_received, 0) AS common_received
FROM months m
CROSS JOIN categories c
LEFT JOIN counts n ON n.month = m.month AND n.category = c.category
ORDER BY m.month, c.category_order
