-- severity: warn
-- description: 中文描述
SELECT '中文中文' AS 说明, stok FROM ok_model
