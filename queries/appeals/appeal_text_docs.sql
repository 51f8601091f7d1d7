-- description: Appeals with text received in the edition year Y and the year before, their masked text only (docs/text-analysis.md): the base of the text analysis. Never exported or published.
-- grain: one row per appeal with non-empty masked content, submitted in Y−1 or Y (up to the cut-off)
-- check: unique(appeal_id)
-- check: not_null(appeal_id, uscc, year, txt)
SELECT
    appeal_id,
    uscc,
    category,
    CAST(year(submitted_at) AS INTEGER) AS year,
    content_masked AS txt
FROM appeals
WHERE submitted_at >= make_date(CAST(getvariable('prev_year') AS INTEGER), 1, 1)
  AND CAST(submitted_at AS DATE) <= getvariable('cutoff')
  AND nullif(trim(content_masked), '') IS NOT NULL
