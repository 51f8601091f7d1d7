-- A city of 1,000,000 registry rows with proportionate appeals, declarations, donations and
-- chambers, for timing the models (BenchmarkModels). Values are pseudo-random but fixed.
INSERT INTO districts VALUES ('320505', '虎丘区', NULL, NULL), ('320506', '吴中区', NULL, NULL), ('320507', '相城区', NULL, NULL);
INSERT INTO registry (uscc, name, ownership, industry_code, industry_division, industry_section, district_code,
                      established_on, status, cancelled_on, revenue, employees, high_tech, specialized_level, source_file)
SELECT
    printf('91320500%010d', i),
    'E' || i,
    ['民营', '民营', '民营', '个体', '个体', '个体', '个体', '国有', '外资', '集体'][1 + i % 10],
    'C39' || (i % 10),
    '39',
    'C',
    ['320505', '320506', '320507', '999999'][1 + i % 4],
    DATE '2000-01-01' + CAST(hash(i) % 9500 AS INTEGER),
    ['active', 'active', 'active', 'revoked', 'cancelled', 'moved_out', 'other'][1 + (i // 7) % 7],
    CASE WHEN (i // 7) % 7 BETWEEN 3 AND 5 THEN DATE '2010-01-01' + CAST(hash(i + 1) % 5800 AS INTEGER) END,
    CAST(hash(i + 2) % 100000 AS DECIMAL(18, 6)) / 7,
    CAST(hash(i + 3) % 500 AS BIGINT),
    i % 50 = 0,
    CASE WHEN i % 97 = 0 THEN '小巨人' END,
    'registry/part' || (i % 3) || '.csv'
FROM range(1000000) t(i);
UPDATE registry SET cancelled_on = established_on WHERE cancelled_on < established_on;
INSERT INTO appeals (appeal_id, uscc, submitted_at, category, is_common, department, responded_at, closed_at, satisfaction)
SELECT
    'A' || i,
    printf('91320500%010d', hash(i) % 1000000),
    TIMESTAMP '2021-01-01 08:00:00' + to_days(CAST(hash(i) % 1800 AS INTEGER)) + to_minutes(CAST(i % 600 AS BIGINT)),
    ['融资信贷', '用工人才', '市场准入', '政策落实', '知识产权', '要素保障', '账款拖欠', '涉企执法', '税费', '法律权益', '科技创新', '其他'][1 + i % 12],
    i % 3 = 0,
    ['工信局', '税务局', '金融办', NULL][1 + i % 4],
    CASE WHEN i % 10 > 0 THEN TIMESTAMP '2021-01-01 08:00:00' + to_days(CAST(hash(i) % 1800 + i % 40 AS INTEGER)) END,
    CASE WHEN i % 10 > 1 THEN TIMESTAMP '2021-01-01 08:00:00' + to_days(CAST(hash(i) % 1800 + i % 40 + 3 AS INTEGER)) END,
    ['满意', '基本满意', '不满意', NULL][1 + i % 4]
FROM range(200000) t(i);
INSERT INTO innovation (uscc, year, rd_expense, revenue, rd_staff, staff, invention_patents, other_ip, standards, tech_contract_amount, equity_financing)
SELECT
    printf('91320500%010d', i // 5 * 20),
    2021 + i % 5,
    CAST(hash(i) % 2000 AS DECIMAL(18, 6)) / 3,
    CAST(hash(i + 1) % 30000 AS DECIMAL(18, 6)),
    hash(i) % 20, 20 + hash(i) % 200, hash(i) % 7, hash(i) % 30, hash(i) % 3,
    CAST(hash(i) % 800 AS DECIMAL(18, 6)), CAST(hash(i) % 3000 AS DECIMAL(18, 6))
FROM range(50000) t(i);
INSERT INTO donations (donation_id, uscc, donated_on, amount, form, program, verified)
SELECT
    'D' || i,
    printf('91320500%010d', hash(i) % 20000 * 50),
    DATE '2020-01-01' + CAST(hash(i) % 2190 AS INTEGER),
    CAST(1 + hash(i) % 5000 AS DECIMAL(18, 6)) / 100,
    ['现金', '物资', '服务'][1 + i % 3],
    ['万企兴万村', '光彩事业', '教育', '医疗', '救灾', '扶老助残', '其他'][1 + i % 7],
    i % 10 > 0
FROM range(100000) t(i);
INSERT INTO chambers (chamber_id, name, kind, established_on, member_count)
SELECT 'CH' || i, '商会' || i, ['行业商会', '异地商会', '区域商会'][1 + i % 3], DATE '2010-01-01' + CAST(i AS INTEGER), 50 FROM range(500) t(i);
INSERT INTO chamber_activities (chamber_id, held_on, kind, participants)
SELECT 'CH' || (hash(i) % 500), DATE '2021-01-01' + CAST(hash(i) % 1800 AS INTEGER), ['会员大会', '理事会', '品牌活动', '培训', '其他'][1 + i % 5], 20 FROM range(5000) t(i);
INSERT INTO chamber_fees (chamber_id, year, due, collected)
SELECT 'CH' || (i % 500), 2021 + i // 500, 10, 7 FROM range(2500) t(i);
