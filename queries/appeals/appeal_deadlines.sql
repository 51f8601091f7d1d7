-- description: Every loaded appeal with its deadline (the Nth working day strictly after the calendar date of submission, N = appeal_deadline_workdays in seeds/thresholds.csv) and its outcome as at the cut-off of its own year (31 December, or C for the edition year): responded and closed by then, on time, late or not yet due, rated, and the response time in working days. A NULL deadline means the working-day calendar does not cover the dates needed.
-- grain: one row per appeal
-- unit: response_workdays = working days in (submitted_on, responded_on]
-- check: unique(appeal_id)
-- check: not_null(appeal_id, submitted_on, as_at)
-- check: not_null(deadline)
-- check: accepted_values(outcome, 'on_time', 'late', 'not_yet_due')
WITH params AS (
    SELECT
        CAST(getvariable('cutoff') AS DATE) AS cutoff,
        (SELECT CAST(value AS INTEGER) FROM thresholds WHERE name = 'appeal_deadline_workdays') AS n_workdays
),
a AS (
    SELECT
        ap.* EXCLUDE (content), -- never the appeal's text (personal data)
        CAST(ap.submitted_at AS DATE) AS submitted_on,
        CAST(ap.responded_at AS DATE) AS responded_on,
        CAST(ap.closed_at AS DATE) AS closed_on,
        -- each year's figures are measured as at that year's own cut-off, so they stop changing once the year is over
        least(make_date(year(ap.submitted_at), 12, 31), p.cutoff) AS as_at,
        p.n_workdays
    FROM appeals ap
    CROSS JOIN params p
),
timed AS (
    SELECT
        a.*,
        dl.date AS deadline,
        a.responded_on <= a.as_at AS responded_by_as_at,
        a.closed_on <= a.as_at AS closed_by_as_at,
        wr.workday_ordinal - ws.workday_ordinal AS workdays_to_response
    FROM a
    LEFT JOIN workdays ws ON ws.date = a.submitted_on
    LEFT JOIN workdays dl
        ON dl.span_start = ws.span_start AND dl.is_workday AND dl.workday_ordinal = ws.workday_ordinal + a.n_workdays
    LEFT JOIN workdays wr ON wr.date = a.responded_on AND wr.span_start = ws.span_start
)
SELECT
    t.appeal_id,
    t.uscc,
    CAST(year(t.submitted_on) AS INTEGER) AS year,
    CAST(month(t.submitted_on) AS INTEGER) AS month,
    t.submitted_at,
    t.submitted_on,
    coalesce(t.category, '其他') AS category,
    coalesce(t.is_common, false) AS is_common,
    t.channel,
    coalesce(nullif(trim(t.department), ''), '未注明') AS department,
    r.uscc IS NOT NULL AS in_registry,
    r.district_code,
    r.industry_section, -- for the monitoring by section (one registry join for both)
    t.deadline,
    t.responded_on,
    t.closed_on,
    t.as_at,
    coalesce(t.responded_by_as_at, false) AS responded,
    coalesce(t.closed_by_as_at, false) AS closed,
    CASE
        WHEN t.deadline IS NULL THEN NULL
        WHEN t.responded_by_as_at THEN CASE WHEN t.responded_on <= t.deadline THEN 'on_time' ELSE 'late' END
        WHEN t.deadline < t.as_at THEN 'late'
        ELSE 'not_yet_due'
    END AS outcome,
    CASE
        WHEN t.deadline IS NULL THEN NULL
        WHEN t.responded_by_as_at THEN t.responded_on <= t.deadline
        WHEN t.deadline < t.as_at THEN false
    END AS on_time,
    CASE WHEN t.responded_by_as_at THEN CAST(t.workdays_to_response AS INTEGER) END AS response_workdays,
    t.satisfaction,
    -- a rating is undated: it counts once the appeal had been answered or closed by as_at
    t.satisfaction IS NOT NULL AND (coalesce(t.responded_by_as_at, false) OR coalesce(t.closed_by_as_at, false)) AS rated,
    coalesce(t.orphan, false) AS orphan,
    coalesce(t.unknown_category, false) AS unknown_category
FROM timed t
LEFT JOIN (SELECT uscc, district_code, industry_section FROM registry) r ON r.uscc = t.uscc
ORDER BY t.submitted_at, t.appeal_id
