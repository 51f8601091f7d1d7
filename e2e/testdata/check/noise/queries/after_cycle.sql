SELECT * FROM cycle_a
