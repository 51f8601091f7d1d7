-- description: 中文说明
SELECT '民营经济' AS 名称, registerd_capital
FROM firmlist
