-- description: Which lexicon terms each appeal of Y−1 and Y mentions (docs/text-analysis.md): its masked text contains the term or a synonym, not only inside a longer lexicon term that contains it (营业执照 wins over 营业); one row per appeal and term (document frequency). Terms of the topic 不计 (boilerplate such as 希望, 我们是一家) take part in the matching, so that what they cover is neither a shorter term nor a new phrase, but are not counted. Never exported.
-- grain: one row per appeal and canonical term
-- check: unique(appeal_id, term)
WITH lex AS (
    SELECT surface, term, topic, longer, substr(surface, 1, 2) AS head FROM appeal_text_lexicon
),
heads AS (SELECT DISTINCT head FROM lex),
-- The distinct two-character pieces of each text that start some lexicon entry: only these
-- appeals and entries are compared (a cross product of every text with every entry costs
-- several times more).
pieces AS (
    SELECT g.appeal_id, g.head
    FROM (
        SELECT appeal_id, unnest(list_distinct(list_transform(range(1, length(txt)), lambda i: substr(txt, i, 2)))) AS head
        FROM appeal_text_docs
    ) g
    SEMI JOIN heads h USING (head)
),
hits AS (
    SELECT d.appeal_id, d.uscc, d.category, d.year, d.txt, l.surface, l.term, l.topic, l.longer
    FROM pieces p
    JOIN lex l USING (head)
    JOIN appeal_text_docs d USING (appeal_id)
    WHERE contains(d.txt, l.surface)
)
SELECT DISTINCT appeal_id, uscc, category, year, term, topic
FROM hits
WHERE topic <> '不计'
  AND (longer IS NULL
   -- Every longer surface form containing this one is cut out first; what is left must still hold it.
   OR contains(list_reduce(list_prepend(txt, longer), lambda acc, x: replace(acc, x, '|')), surface))
