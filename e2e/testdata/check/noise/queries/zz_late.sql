SELECT uscc FROM firmlist
