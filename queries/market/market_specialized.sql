-- description: Private enterprises alive at the cut-off by 专精特新 level, and high-tech enterprises.
SELECT
    coalesce(specialized_level, '无') AS level,
    count(*) AS enterprises,
    count(*) FILTER (WHERE high_tech) AS high_tech
FROM market_entities
WHERE is_private
  AND established_on <= getvariable('cutoff')
  AND NOT (has_left AND (left_on <= getvariable('cutoff') OR left_on IS NULL))
GROUP BY 1
ORDER BY array_position(['单项冠军', '小巨人', '专精特新中小企业', '创新型中小企业', '无'], level)
