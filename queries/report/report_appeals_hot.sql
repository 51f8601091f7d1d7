-- description: What chapter 02_appeals shows as its query hot, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
SELECT
  (SELECT count(*) FROM appeal_text_docs WHERE year = getvariable('year')) AS docs,
  (SELECT count(*) FROM appeal_topics WHERE year = getvariable('year')) AS topics,
  (SELECT topic FROM appeal_topics WHERE year = getvariable('year') ORDER BY share DESC, topic LIMIT 1) AS first_topic,
  (SELECT share FROM appeal_topics WHERE year = getvariable('year') ORDER BY share DESC, topic LIMIT 1) AS first_share,
  (SELECT topic FROM appeal_topics WHERE year = getvariable('year') AND share_change_pp > 0 ORDER BY share_change_pp DESC, topic LIMIT 1) AS rising_topic,
  (SELECT share_change_pp / 100 FROM appeal_topics WHERE year = getvariable('year') AND share_change_pp > 0 ORDER BY share_change_pp DESC, topic LIMIT 1) AS rising_change,
  (SELECT CAST(value AS INTEGER) FROM appeal_text_params WHERE name = 'min_enterprises') AS min_enterprises,
  (SELECT count(*) FROM appeal_lexicon WHERE nullif(trim(synonym_of), '') IS NULL AND topic <> '不计') AS lexicon_terms
