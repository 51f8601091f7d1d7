-- description: The lexicon in force (seed appeal_lexicon): every surface form an appeal may contain (a term or one of its synonyms), the canonical term it counts for, that term's topic, and the longer surface forms that contain it (they win: docs/text-analysis.md).
-- grain: one row per surface form
-- check: unique(surface)
-- check: not_null(surface, term, topic)
WITH rows AS (
    SELECT trim(term) AS surface,
           coalesce(nullif(trim(synonym_of), ''), trim(term)) AS term,
           trim(topic) AS topic
    FROM appeal_lexicon
    WHERE nullif(trim(term), '') IS NOT NULL
),
canon AS (
    SELECT surface AS term, min(topic) AS topic FROM rows WHERE surface = term GROUP BY surface
),
lex AS (
    SELECT r.surface, min(r.term) AS term, min(coalesce(c.topic, r.topic)) AS topic
    FROM rows r LEFT JOIN canon c ON c.term = r.term
    GROUP BY r.surface
)
SELECT
    a.surface,
    a.term,
    a.topic,
    length(a.surface) AS chars,
    list(b.surface ORDER BY length(b.surface) DESC, b.surface) FILTER (WHERE b.surface IS NOT NULL) AS longer
FROM lex a
LEFT JOIN lex b ON length(b.surface) > length(a.surface) AND contains(b.surface, a.surface)
GROUP BY a.surface, a.term, a.topic
ORDER BY a.topic, a.term, a.surface
