SELECT '😀👨‍👩‍👧🇨🇳' AS 表情, count(*) AS n FROM firmlist GROUP BY BY 1
