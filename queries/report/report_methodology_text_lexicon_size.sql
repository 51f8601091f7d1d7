-- description: What chapter 90_methodology shows as its query text_lexicon_size, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT
  count(*) FILTER (WHERE syn IS NULL AND topic <> '不计') AS terms,
  count(*) FILTER (WHERE syn IS NOT NULL AND topic <> '不计') AS synonyms,
  count(DISTINCT topic) FILTER (WHERE topic <> '不计') AS topics,
  count(*) FILTER (WHERE topic = '不计') AS boilerplate
FROM (SELECT nullif(trim(synonym_of), '') AS syn, topic FROM appeal_lexicon)
