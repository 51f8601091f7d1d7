SELECT '中' AS a FROM firmlist WHERE = 1
