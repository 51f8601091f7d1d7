-- description: 创新积分 for every enterprise-year row of the declarations, as published (pages and downloads): innovation_scores without the amounts of 个体工商户 (natural_person). Their R&D expense, revenue, revenue of the year before and the R&D-expense score t2 (which gives the amount back) are NULL here; they count in every aggregate, which reads innovation_scores (docs/methodology.md §9).
-- grain: one row per declaration (uscc × year)
-- unit: points 0-100; money in 万元
-- check: unique(uscc, year)
-- check: not_null(uscc, year, points)
SELECT * REPLACE (
    CASE WHEN NOT natural_person THEN t2 END AS t2,
    CASE WHEN NOT natural_person THEN rd_expense END AS rd_expense,
    CASE WHEN NOT natural_person THEN revenue END AS revenue,
    CASE WHEN NOT natural_person THEN prev_revenue END AS prev_revenue
)
FROM innovation_scores
ORDER BY year, rank NULLS LAST, uscc
