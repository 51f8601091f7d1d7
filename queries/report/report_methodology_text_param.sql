-- description: What chapter 90_methodology shows as its query text_param, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT
  max(value) FILTER (WHERE name = 'min_enterprises') AS min_enterprises,
  max(value) FILTER (WHERE name = 'emerging_z') AS emerging_z,
  max(value) FILTER (WHERE name = 'emerging_min_appeals') AS emerging_min_appeals,
  max(value) FILTER (WHERE name = 'phrase_min_chars') AS phrase_min_chars,
  max(value) FILTER (WHERE name = 'phrase_max_chars') AS phrase_max_chars,
  max(value) FILTER (WHERE name = 'phrase_keep_share') AS phrase_keep_share,
  max(value) FILTER (WHERE name = 'name_core_min_chars') AS name_core_min_chars
FROM appeal_text_params
