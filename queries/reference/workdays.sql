-- description: Every day of the years the official working-day calendar covers: whether it is a working day, and a running working-day ordinal for deadline arithmetic (the Nth working day after d is the working day whose ordinal is ordinal(d) + N, within one span of consecutive covered years).
-- grain: one row per calendar day
-- unit: workday_ordinal = working days from the start of the span up to and including the day
-- check: unique(date)
-- check: not_null(date, year, is_workday, workday_ordinal, span_start)
WITH facts AS (
    -- one row per dated fact; a date listed twice keeps its strongest fact (a make-up working day wins)
    SELECT
        CAST(date AS DATE) AS date,
        bool_or(kind = 'makeup_workday') AS makeup,
        bool_or(kind = 'off') AS off,
        string_agg(DISTINCT holiday, '、') AS holiday
    FROM ref_holidays
    GROUP BY 1
),
covered AS (
    -- A year is covered when its State Council notice is in the calendar. Every notice makes
    -- 1 January a day off, so this is the test; the 2019 notice's rows dated 2018-12-29..31 do
    -- not make 2018 a covered year.
    SELECT DISTINCT year(date) AS year
    FROM facts
    WHERE off AND month(date) = 1 AND day(date) = 1
),
islands AS (
    SELECT year, year - row_number() OVER (ORDER BY year) AS island FROM covered
),
spans AS (
    -- consecutive covered years form one span; ordinals never run across a missing year
    SELECT year, min(year) OVER (PARTITION BY island) AS span_start FROM islands
),
days AS (
    SELECT CAST(d AS DATE) AS date
    FROM range(
        CAST((SELECT make_date(CAST(min(year) AS INTEGER), 1, 1) FROM covered) AS TIMESTAMP),
        CAST((SELECT make_date(CAST(max(year) AS INTEGER) + 1, 1, 1) FROM covered) AS TIMESTAMP),
        INTERVAL 1 DAY) t(d)
),
marked AS (
    SELECT
        d.date,
        CAST(year(d.date) AS INTEGER) AS year,
        CAST(s.span_start AS INTEGER) AS span_start,
        CASE
            WHEN f.makeup THEN true
            WHEN f.off THEN false
            ELSE isodow(d.date) <= 5
        END AS is_workday,
        CASE WHEN f.makeup THEN 'makeup_workday' WHEN f.off THEN 'off' END AS kind,
        f.holiday
    FROM days d
    JOIN spans s ON s.year = year(d.date)
    LEFT JOIN facts f ON f.date = d.date
)
SELECT
    date,
    year,
    is_workday,
    CAST(count(*) FILTER (WHERE is_workday) OVER (PARTITION BY span_start ORDER BY date ROWS UNBOUNDED PRECEDING) AS INTEGER) AS workday_ordinal,
    span_start,
    kind,
    holiday
FROM marked
ORDER BY date
