-- description: What chapter 91_quality shows as its query left_undated, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- grain: one row (the chapter reads its first row)
SELECT
  coalesce(sum(entities) FILTER (WHERE is_private), 0)::BIGINT AS private_entities,
  coalesce(sum(entities), 0)::BIGINT AS entities
FROM quality_left_undated
