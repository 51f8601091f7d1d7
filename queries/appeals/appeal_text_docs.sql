-- description: Appeals with text received in the edition year Y and the year before, their masked text only (docs/text-analysis.md): the base of the text analysis. Never exported or published.
-- materialize: view
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
  -- non-empty once trimmed; trim() copies every text, so only texts that start with a
  -- space are trimmed (one that does not is empty only when it is '')
  AND CASE WHEN starts_with(content_masked, ' ') THEN trim(content_masked) <> '' ELSE content_masked <> '' END
