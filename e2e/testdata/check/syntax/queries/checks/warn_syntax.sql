-- severity: warn
-- description: 中文描述：注册资本为空的企业
SELECT '中文' AS 说明, uscc FROM firmlist WHERE registered_capital IS NUL NULL
