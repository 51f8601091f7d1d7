-- description: 中文：关系检查指向坏模型
-- check: relationships(a, broken.a) warn
SELECT '中文' AS a
