SELECT	'中文'	AS a,
		count(*)	AS n
	FROM	firmlist	WHERE	,
