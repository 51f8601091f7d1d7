SELECT '中' AS a FROM registry WHERE = 1
