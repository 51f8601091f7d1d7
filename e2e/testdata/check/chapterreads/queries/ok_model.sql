-- description: 一个正确的模型
SELECT uscc, registered_capital FROM firmlist
