-- description: Verified donations of private subjects of the registry (any status), dated in Y-5..Y, with the donor's district: the base of every welfare aggregate. Unverified donations and donations of enterprises not in the registry or not private are left out (see quality_donations).
-- grain: one row per verified donation
-- unit: amount in 万元
SELECT
    d.donation_id,
    d.uscc,
    CAST(year(d.donated_on) AS INTEGER) AS year,
    d.donated_on,
    d.amount,
    coalesce(d.form, '未注明') AS form,
    coalesce(d.program, '其他') AS program,
    r.district_code,
    r.ownership
FROM donations d
JOIN registry r ON r.uscc = d.uscc AND r.ownership IN ('民营', '个体')
WHERE d.verified
  AND d.donated_on >= make_date(CAST(getvariable('year') AS INTEGER) - 5, 1, 1)
  AND d.donated_on < make_date(CAST(getvariable('year') AS INTEGER) + 1, 1, 1)
