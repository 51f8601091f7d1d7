SELECT '中' AS a, nosuch FROM firmlist
