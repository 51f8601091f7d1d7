SELECT * FROM downstream
