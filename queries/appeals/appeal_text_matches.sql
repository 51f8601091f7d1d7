-- description: Which lexicon terms each appeal of Y−1 and Y mentions (docs/text-analysis.md): its masked text contains the term or a synonym, not only inside a longer lexicon term that contains it (营业执照 wins over 营业); one row per appeal and term (document frequency). Terms of the topic 不计 (boilerplate such as 希望, 我们是一家) take part in the matching, so that what they cover is neither a shorter term nor a new phrase, but are not counted. Never exported.
-- materialize: view
-- grain: one row per appeal and canonical term
-- check: unique(appeal_id, term)
-- The matching itself is done in Go before the models, once per distinct text and lexicon
-- version and kept across runs (pipeline/textmatch.go): appeal_text_cache holds the terms
-- each text mentions, keyed by hash(text) and the lexicon's version in appeal_text_state;
-- appeal_text_terms names them. The semantics are the ones above (docs/text-analysis.md §3).
WITH terms AS (
    -- terms of the lexicon in force (and so rebuilt with it), picked before the join: as a
    -- condition on the joined rows it was checked for each of them
    SELECT t.term_id, t.term, t.topic
    FROM appeal_text_terms t
    WHERE EXISTS (SELECT 1 FROM appeal_text_lexicon l WHERE l.term = t.term AND l.topic = t.topic)
),
text_terms AS (
    SELECT c.text_hash, t.term, t.topic
    FROM appeal_text_cache c
    JOIN terms t ON t.term_id = c.term_id
    WHERE c.lexicon = (SELECT lexicon FROM appeal_text_state)
)
SELECT d.appeal_id, d.uscc, d.category, d.year, m.term, m.topic
FROM appeal_text_docs d
JOIN text_terms m ON m.text_hash = hash(d.txt)
