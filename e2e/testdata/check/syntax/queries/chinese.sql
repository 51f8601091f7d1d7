-- description: 民营经济主体按注册资本分组（中文说明很长很长很长很长很长很长很长很长很长很长很长很长很长很长）
-- 这一行也是中文注释，用来把位置往后推。
SELECT '民营经济' AS 名称,
       count(*) AS n
FROM firmlist WHERE registered_capital > > 100
