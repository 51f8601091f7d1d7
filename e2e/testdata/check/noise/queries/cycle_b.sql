-- description: 环：乙读甲
SELECT * FROM cycle_a
