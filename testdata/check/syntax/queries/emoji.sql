SELECT '😀👨‍👩‍👧🇨🇳' AS 表情, count(*) AS n FROM registry GROUP BY BY 1
