-- description: What chapter 90_methodology shows as its query text_lexicon, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- check: unique(topic)
-- check: not_null(topic)
SELECT
  topic,
  count(*) FILTER (WHERE nullif(trim(synonym_of), '') IS NULL) AS terms,
  count(*) FILTER (WHERE nullif(trim(synonym_of), '') IS NOT NULL) AS synonyms,
  string_agg(term, '、' ORDER BY term) FILTER (WHERE nullif(trim(synonym_of), '') IS NULL) AS examples
FROM appeal_lexicon
WHERE topic <> '不计'
GROUP BY topic
ORDER BY terms DESC, topic
