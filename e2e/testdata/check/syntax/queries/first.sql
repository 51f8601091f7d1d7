SELEKT '中文' AS a FROM firmlist
