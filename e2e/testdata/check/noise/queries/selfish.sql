-- description: 读自己
SELECT '中文' AS a FROM selfish
