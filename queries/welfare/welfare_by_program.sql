-- description: Verified donations of private enterprises in the edition year Y by programme (公益项目类别; none or unknown = 其他): donors, donations, amount and share of the amount.
-- grain: one row per programme
-- unit: amounts in 万元; share a fraction
-- check: unique(program)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    program,
    count(DISTINCT uscc) AS donors,
    count(*) AS donations,
    sum(amount) AS amount,
    sum(amount) / sum(sum(amount)) OVER () AS share
FROM welfare_donations
WHERE year = getvariable('year')
GROUP BY program
ORDER BY amount DESC, program
