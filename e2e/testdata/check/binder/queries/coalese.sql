-- description: 拼错的函数
SELECT '中文' AS a, coalese(registered_capital, 0) AS c FROM firmlist
