-- description: What chapter 03_innovation shows as its query specialized_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  coalesce(sum(enterprises) FILTER (WHERE level <> '无'), 0)::BIGINT AS tiered,
  coalesce(sum(enterprises) FILTER (WHERE level IN ('小巨人', '单项冠军')), 0)::BIGINT AS giants,
  coalesce(sum(enterprises) FILTER (WHERE level = '专精特新中小企业'), 0)::BIGINT AS specialized,
  coalesce(sum(enterprises) FILTER (WHERE level = '创新型中小企业'), 0)::BIGINT AS innovative,
  coalesce(sum(high_tech), 0)::BIGINT AS high_tech
FROM market_specialized
