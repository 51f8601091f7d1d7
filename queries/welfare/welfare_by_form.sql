-- description: Verified donations of private enterprises in the edition year Y by form (现金/物资/服务; none given = 未注明): donors, donations, amount and share of the amount.
-- grain: one row per form
-- unit: amounts in 万元; share a fraction
-- check: unique(form)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    form,
    count(DISTINCT uscc) AS donors,
    count(*) AS donations,
    sum(amount) AS amount,
    sum(amount) / sum(sum(amount)) OVER () AS share
FROM welfare_donations
WHERE year = getvariable('year')
GROUP BY form
ORDER BY amount DESC, form
