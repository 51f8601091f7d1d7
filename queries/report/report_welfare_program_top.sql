-- description: What chapter 04_welfare shows as its query program_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
SELECT
  arg_max(program, amount) AS first_name,
  max(share) AS first_share,
  count(*) AS programs
FROM welfare_by_program
