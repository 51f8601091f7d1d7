-- description: 环：甲读乙
SELECT * FROM cycle_b
