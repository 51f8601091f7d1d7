-- description: 中文：关系检查指向后面的模型
-- check: relationships(uscc, zz_late.uscd)
SELECT uscc FROM firmlist
