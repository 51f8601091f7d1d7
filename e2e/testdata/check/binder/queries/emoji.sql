SELECT '😀👨‍👩‍👧🇨🇳é́，' AS 表情, nosuch FROM firmlist
