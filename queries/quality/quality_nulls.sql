-- description: Null share of each canonical column per source (loaded rows), whether the column is required, and the rows rejected because that required value was empty (missing_required).
-- grain: one row per source × column
-- unit: rows; share a fraction
-- check: unique(source, column_name)
WITH canonical(source, column_name, required, position) AS (
    VALUES
        ('registry', 'uscc', true, 1), ('registry', 'name', true, 2), ('registry', 'ownership', true, 3),
        ('registry', 'entity_type', false, 4), ('registry', 'industry_code', false, 5), ('registry', 'district_code', false, 6),
        ('registry', 'established_on', true, 7), ('registry', 'status', false, 8), ('registry', 'cancelled_on', false, 9),
        ('registry', 'approved_on', false, 10), ('registry', 'registered_capital', false, 11), ('registry', 'employees', false, 12),
        ('registry', 'revenue', false, 13), ('registry', 'specialized_level', false, 14), ('registry', 'high_tech', false, 15),
        ('registry', 'chamber_id', false, 16),
        ('appeals', 'appeal_id', true, 1), ('appeals', 'uscc', true, 2), ('appeals', 'submitted_at', true, 3),
        ('appeals', 'category', false, 4), ('appeals', 'is_common', false, 5), ('appeals', 'channel', false, 6),
        ('appeals', 'department', false, 7), ('appeals', 'responded_at', false, 8), ('appeals', 'closed_at', false, 9),
        ('appeals', 'satisfaction', false, 10), ('appeals', 'content', false, 11),
        ('innovation', 'uscc', true, 1), ('innovation', 'year', true, 2), ('innovation', 'rd_expense', true, 3),
        ('innovation', 'revenue', true, 4), ('innovation', 'rd_staff', false, 5), ('innovation', 'staff', false, 6),
        ('innovation', 'invention_patents', false, 7), ('innovation', 'other_ip', false, 8), ('innovation', 'standards', false, 9),
        ('innovation', 'tech_contract_amount', false, 10), ('innovation', 'equity_financing', false, 11),
        ('donations', 'donation_id', true, 1), ('donations', 'uscc', true, 2), ('donations', 'donated_on', true, 3),
        ('donations', 'amount', true, 4), ('donations', 'form', false, 5), ('donations', 'program', false, 6),
        ('donations', 'recipient', false, 7), ('donations', 'verified', false, 8),
        ('chambers', 'chamber_id', true, 1), ('chambers', 'name', false, 2), ('chambers', 'kind', false, 3),
        ('chambers', 'established_on', false, 4), ('chambers', 'member_count', false, 5),
        ('chamber_activities', 'chamber_id', true, 1), ('chamber_activities', 'held_on', false, 2),
        ('chamber_activities', 'kind', false, 3), ('chamber_activities', 'participants', false, 4),
        ('chamber_fees', 'chamber_id', true, 1), ('chamber_fees', 'year', true, 2), ('chamber_fees', 'due', false, 3),
        ('chamber_fees', 'collected', false, 4),
        ('districts', 'district_code', true, 1), ('districts', 'name', true, 2)
),
loaded AS (
    SELECT source, column_name, CAST(sum(rows_loaded) AS BIGINT) AS rows_loaded, CAST(sum(n) AS BIGINT) AS non_null
    FROM quality_profile
    WHERE measure = 'non_null'
    GROUP BY ALL
),
missing AS (
    SELECT source, column_name, count(*) AS rejected_missing
    FROM rejects
    WHERE rule = 'missing_required'
    GROUP BY ALL
)
SELECT
    c.source,
    c.column_name,
    c.required,
    coalesce(l.rows_loaded, 0) AS rows_loaded,
    coalesce(l.rows_loaded - l.non_null, 0) AS nulls,
    (l.rows_loaded - l.non_null) / nullif(l.rows_loaded, 0) AS null_share,
    coalesce(m.rejected_missing, 0) AS rejected_missing
FROM canonical c
LEFT JOIN loaded l ON l.source = c.source AND l.column_name = c.column_name
LEFT JOIN missing m ON m.source = c.source AND m.column_name = c.column_name
ORDER BY c.source, c.position
