-- description: Entries of the appeal lexicon (seeds/appeal_lexicon.csv) that cannot be right: a term or synonym written twice, a synonym of a term the lexicon does not have, a row without a topic.
-- severity: warn
WITH l AS (
    SELECT trim(term) AS term, nullif(trim(synonym_of), '') AS synonym_of, nullif(trim(topic), '') AS topic
    FROM appeal_lexicon
)
SELECT term, '重复收录' AS problem FROM l GROUP BY term HAVING count(*) > 1
UNION ALL
SELECT term, '同义于词表中没有的词语：' || synonym_of FROM l
WHERE synonym_of IS NOT NULL AND synonym_of NOT IN (SELECT term FROM l WHERE synonym_of IS NULL)
UNION ALL
SELECT term, '未填写主题' FROM l WHERE topic IS NULL
ORDER BY term
