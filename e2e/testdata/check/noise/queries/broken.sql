-- description: 坏模型
SELECT '中文' AS a, nosuch FROM firmlist
