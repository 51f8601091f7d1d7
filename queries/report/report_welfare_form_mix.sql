-- description: What chapter 04_welfare shows as its query form_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
SELECT
  coalesce(sum(share) FILTER (WHERE form = '现金'), 0) AS cash_share,
  coalesce(sum(share) FILTER (WHERE form IN ('物资', '服务')), 0) AS kind_share
FROM welfare_by_form
