-- description: What chapter 02_appeals shows as its query department_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
SELECT
  count(*) AS departments,
  arg_max(department, received) AS first_name,
  max(received) AS first_received
FROM appeal_by_department
WHERE department <> '未注明'
