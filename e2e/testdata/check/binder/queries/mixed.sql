-- 制表符与中文在同一行
SELECT	'中文'	AS 名称,	nosuch	FROM firmlist
