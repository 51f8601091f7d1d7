SELECT	'中文'	AS a,
		nosuch	AS n
	FROM	firmlist
