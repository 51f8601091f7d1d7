SELECT nosuch FROM broken
