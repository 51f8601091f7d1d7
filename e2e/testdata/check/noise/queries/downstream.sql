SELECT nosuch_either FROM broken
