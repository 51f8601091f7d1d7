-- description: The findings of the edition (docs/methodology.md §10): every rule of seeds/finding_rules.csv applied to every indicator of report_indicator_values it names, one row per finding that holds — the change on the year before (change_1y), over the five-year window (change_5y), a record high or low of the window (record_high, record_low, at least three years), a turning point (turn_up, turn_down: the year before moved the other way), a fall from the window's peak (from_peak) — with its size, direction, head and sentence, the placeholders of the rule's templates filled with the formatted values. best marks the finding of each indicator with the highest priority (then size); chapter_rank ranks the best findings of a chapter; overview_rank orders the findings of the overview (each chapter's best first, at most six).
-- grain: one row per rule × indicator that holds
-- unit: value, base = the indicator's unit; change, size = a growth ratio (count, money) or a change in ratio units (pct)
-- check: not_null(rule, indicator, year, value, change, size, head, sentence)
-- check: accepted_values(signal, 'better', 'worse', 'neutral')
WITH ind AS (
    SELECT trim(indicator) AS indicator, trim(title) AS title, CAST(chapter AS INTEGER) AS chapter,
        trim(format) AS format, coalesce(trim(unit), '') AS unit, nullif(trim(better), '') AS better
    FROM finding_indicators
),
rules AS (
    SELECT row_number() OVER () AS ord, trim(rule) AS rule, trim(finding) AS finding, trim(indicator) AS indicator,
        nullif(trim(format), '') AS format, trim(direction) AS direction, CAST(min_size AS DOUBLE) AS min_size,
        CAST(priority AS INTEGER) AS priority, head, sentence
    FROM finding_rules
),
v AS (
    SELECT v.indicator, v.year, v.value, i.format, i.unit
    FROM report_indicator_values v
    JOIN ind i USING (indicator)
),
-- each value as the report prints it (reports/format.go: count, money, pct), with its unit
fv AS (
    SELECT indicator, year, value,
        CASE format
            WHEN 'pct' THEN printf('%.1f', value * 100) || '%'
            WHEN 'money' THEN CASE WHEN abs(value) < 1e4 AND printf('%.2f', abs(value)) <> '10000.00'
                                   THEN printf('%.2f', value) || '万元'
                                   ELSE printf('%.2f', value / 1e4) || '亿元' END
            ELSE CASE WHEN abs(round(value)) < 1e4 THEN printf('%d', CAST(round(value) AS BIGINT))
                      WHEN abs(round(value)) < 1e8 AND printf('%.2f', abs(round(value)) / 1e4) <> '10000.00'
                      THEN printf('%.2f', round(value) / 1e4) || '万'
                      ELSE printf('%.2f', round(value) / 1e8) || '亿' END || unit
        END AS text
    FROM v
),
-- the path of each indicator over the window
s AS (
    SELECT
        indicator,
        max(year) AS y,
        min(year) AS first_year,
        count(*) AS years
    FROM v
    GROUP BY indicator
),
pts AS (
    SELECT
        s.indicator, i.format, i.title, i.chapter, i.better, s.y, s.first_year, s.years,
        cur.value AS value,
        p1.value AS prev, p2.value AS prev2,
        f.value AS first,
        -- the highest and the lowest year before y (the latest year of the two on a tie)
        (SELECT arg_max(year, value) FROM v x WHERE x.indicator = s.indicator AND x.year < s.y) AS max_year,
        (SELECT max(value) FROM v x WHERE x.indicator = s.indicator AND x.year < s.y) AS max_before,
        (SELECT arg_min(year, value) FROM v x WHERE x.indicator = s.indicator AND x.year < s.y) AS min_year,
        (SELECT min(value) FROM v x WHERE x.indicator = s.indicator AND x.year < s.y) AS min_before
    FROM s
    JOIN ind i USING (indicator)
    JOIN v cur ON cur.indicator = s.indicator AND cur.year = s.y
    JOIN v f ON f.indicator = s.indicator AND f.year = s.first_year
    LEFT JOIN v p1 ON p1.indicator = s.indicator AND p1.year = s.y - 1
    LEFT JOIN v p2 ON p2.indicator = s.indicator AND p2.year = s.y - 2
),
-- the change of a on b: a growth ratio for counts and amounts, a difference for ratios
chg AS (
    SELECT *,
        CASE WHEN format = 'pct' THEN value - prev ELSE value / nullif(prev, 0) - 1 END AS change_1y,
        CASE WHEN format = 'pct' THEN prev - prev2 ELSE prev / nullif(prev2, 0) - 1 END AS prev_change
    FROM pts
),
cand AS (
    SELECT
        r.ord, r.rule, r.finding, r.priority, r.min_size, r.direction AS wanted, r.head, r.sentence,
        c.*,
        CASE r.finding
            WHEN 'change_1y' THEN c.y - 1
            WHEN 'turn_up' THEN c.y - 1
            WHEN 'turn_down' THEN c.y - 1
            WHEN 'change_5y' THEN c.first_year
            WHEN 'record_high' THEN c.max_year
            WHEN 'record_low' THEN c.min_year
            WHEN 'from_peak' THEN c.max_year
        END AS base_year,
        -- whether the finding holds, apart from its direction and size
        CASE r.finding
            WHEN 'change_1y' THEN c.prev IS NOT NULL
            WHEN 'change_5y' THEN c.years >= 3 AND c.first_year <= c.y - 2
            WHEN 'record_high' THEN c.years >= 3 AND c.value > c.max_before
            WHEN 'record_low' THEN c.years >= 3 AND c.value < c.min_before
            WHEN 'turn_up' THEN c.prev_change < 0 AND c.value > c.prev
            WHEN 'turn_down' THEN c.prev_change > 0 AND c.value < c.prev
            WHEN 'from_peak' THEN c.max_year < c.y AND c.value < c.max_before
        END AS holds
    FROM rules r
    JOIN chg c ON (r.indicator = '*' OR r.indicator = c.indicator) AND (r.format IS NULL OR r.format = c.format)
),
measured AS (
    SELECT cand.*, b.value AS base,
        CASE WHEN cand.format = 'pct' THEN cand.value - b.value ELSE cand.value / nullif(b.value, 0) - 1 END AS change
    FROM cand
    JOIN v b ON b.indicator = cand.indicator AND b.year = cand.base_year
    WHERE holds
),
kept AS (
    SELECT *,
        abs(change) AS size,
        CASE WHEN change > 0 THEN 'up' ELSE 'down' END AS direction
    FROM measured
    WHERE change IS NOT NULL AND change <> 0
      AND abs(change) >= min_size
      AND (wanted = 'any' OR (wanted = 'up' AND change > 0) OR (wanted = 'down' AND change < 0))
),
-- a change in words, as the report prints it (format change / pp)
worded AS (
    SELECT k.*,
        fcur.text AS value_text,
        fb.text AS base_text,
        CASE WHEN k.format = 'pct' THEN CASE WHEN k.direction = 'up' THEN '上升' ELSE '回落' END
             ELSE CASE WHEN k.direction = 'up' THEN '增长' ELSE '下降' END END AS direction_word,
        list_transform([k.change, k.change_1y, k.prev_change], x ->
            CASE
                WHEN x IS NULL THEN NULL
                WHEN printf('%.1f', abs(x) * 100) = '0.0' THEN '持平'
                WHEN k.format = 'pct' THEN CASE WHEN x > 0 THEN '上升' ELSE '回落' END || printf('%.1f', abs(x) * 100) || '个百分点'
                ELSE CASE WHEN x > 0 THEN '增长' ELSE '下降' END || printf('%.1f', abs(x) * 100) || '%'
            END) AS words
    FROM kept k
    JOIN fv fcur ON fcur.indicator = k.indicator AND fcur.year = k.y
    JOIN fv fb ON fb.indicator = k.indicator AND fb.year = k.base_year
),
filled AS (
    -- the placeholders of the templates (docs/methodology.md §10); a missing value leaves its placeholder
    SELECT *, string_split(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(head || chr(10) || sentence,
            '{title}', coalesce(title, '{title}')),
            '{year}', coalesce(CAST(y AS VARCHAR), '{year}')),
            '{value}', coalesce(value_text, '{value}')),
            '{base_year}', coalesce(CAST(base_year AS VARCHAR), '{base_year}')),
            '{base}', coalesce(base_text, '{base}')),
            '{change}', coalesce(words[1], '{change}')),
            '{change_1y}', coalesce(words[2], '{change_1y}')),
            '{prev_change}', coalesce(words[3], '{prev_change}')),
            '{first_year}', coalesce(CAST(first_year AS VARCHAR), '{first_year}')),
            '{direction}', coalesce(direction_word, '{direction}')), chr(10)) AS hs
    FROM worded
),
done AS (
    SELECT
        rule, finding, indicator, title, chapter, format, y AS year, value, base_year, base, change, size, direction,
        CASE WHEN better IS NULL THEN 'neutral' WHEN better = direction THEN 'better' ELSE 'worse' END AS signal,
        priority, ord, hs[1] AS head, hs[2] AS sentence
    FROM filled
    -- a placeholder left unfilled (its value is missing) drops the finding
    WHERE hs[1] NOT LIKE '%{%' AND hs[2] NOT LIKE '%{%'
),
ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY indicator ORDER BY priority DESC, size DESC, ord) = 1 AS best
    FROM done
),
chapters AS (
    SELECT *,
        CASE WHEN best THEN row_number() OVER (PARTITION BY chapter, best ORDER BY priority DESC, size DESC, indicator) END AS chapter_rank
    FROM ranked
),
overview AS (
    SELECT indicator, rule,
        row_number() OVER (ORDER BY chapter_rank, priority DESC, size DESC, indicator) AS pick
    FROM chapters
    WHERE best
)
SELECT
    c.rule, c.finding, c.indicator, c.title, c.chapter, c.format, c.year, c.value, c.base_year, c.base,
    c.change, c.size, c.direction, c.signal, c.priority, c.head, c.sentence, c.best, c.chapter_rank,
    -- printed in the book's order: each chapter's first finding, chapter by chapter, then the second ones
    CASE WHEN o.pick <= 6 THEN row_number() OVER (PARTITION BY o.pick <= 6 ORDER BY c.chapter_rank, c.chapter, c.priority DESC, c.size DESC, c.indicator) END AS overview_rank
FROM chapters c
LEFT JOIN overview o USING (indicator, rule)
ORDER BY c.chapter, c.indicator, c.priority DESC, c.size DESC
