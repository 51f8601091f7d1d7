-- A hand-made city for edition year 2025. 'E01'..'E26' are credit codes of the registry,
-- 'U97'..'U99' credit codes that are not in it (orphans); the test expands them to 18
-- characters. Every expected number in indicators_test.go is worked out from these rows.

INSERT INTO districts VALUES
    ('320505', '虎丘区', 'districts/districts.csv', '2'),
    ('320506', '吴中区', 'districts/districts.csv', '3'),
    ('320507', '相城区', 'districts/districts.csv', '4');

-- id, name, ownership, industry code/division/section, district, established, status, left on, revenue, employees, high-tech, 专精特新
INSERT INTO registry (uscc, name, ownership, industry_code, industry_division, industry_section, district_code,
                      established_on, status, status_raw, cancelled_on, revenue, employees, high_tech, specialized_level) VALUES
    ('E01', '甲机械', '民营', 'C3911', '39', 'C', '320505', DATE '2010-05-01', 'active', '存续', NULL, 3900, 150, true, '小巨人'),
    ('E02', '乙电子', '民营', 'C3911', '39', 'C', '320505', DATE '2012-03-15', 'active', '存续', NULL, 5000, 80, true, '专精特新中小企业'),
    ('E03', '丙软件', '民营', 'I6510', '65', 'I', '320506', DATE '2016-07-01', 'active', '存续', NULL, 20000, 400, false, '单项冠军'),
    ('E04', '丁建材店', '个体', 'F5211', '52', 'F', '320506', DATE '2019-01-10', 'active', '在业', NULL, 120, 3, false, NULL),
    ('E05', '戊精工', '民营', 'C3911', '39', 'C', '320507', DATE '2020-06-30', 'active', '存续', NULL, 100, 10, false, NULL),
    ('E06', '己模具', '民营', 'C3911', '39', 'C', '320507', DATE '2021-02-01', 'active', '存续', NULL, 99.999999, 5, false, NULL),
    ('E07', '庚设计', '民营', 'M7320', '73', 'M', '320505', DATE '2021-12-31', 'active', '存续', NULL, 200, 12, false, NULL),
    ('E08', '辛贸易', '民营', 'C3911', '39', 'C', '320505', DATE '2022-05-05', 'revoked', '吊销，未注销', DATE '2024-03-01', 500, 8, false, NULL),
    ('E09', '壬制造', '民营', 'C3911', '39', 'C', '320506', DATE '2018-01-01', 'cancelled', '注销', DATE '2025-06-30', 20000.5, 300, false, NULL),
    ('E10', '癸材料', '民营', 'C3911', '39', 'C', '999999', DATE '2023-03-03', 'moved_out', '迁出', DATE '2025-08-01', 500, 20, false, NULL),
    ('E11', '子小吃店', '个体', 'F5211', '52', 'F', '320507', DATE '2024-02-29', 'cancelled', '注销', NULL, NULL, NULL, false, NULL),
    ('E12', '丑电力', '国有', 'D4411', '44', 'D', '320505', DATE '2005-01-01', 'active', '存续', NULL, 90000, 900, false, NULL),
    ('E13', '寅外资', '外资', 'C3911', '39', 'C', '320506', DATE '2015-01-01', 'active', '存续', NULL, 30000, 500, false, NULL),
    ('E14', '卯新材', '民营', 'C3911', '39', 'C', '320505', DATE '2025-03-01', 'active', '存续', NULL, 500, 15, false, NULL),
    ('E15', '辰客栈', '个体', 'H6210', '62', 'H', '320506', DATE '2025-11-15', 'active', '开业', NULL, 0, 2, false, NULL),
    ('E16', '巳五金', '民营', 'C3911', '39', 'C', '320507', DATE '2017-09-09', 'other', '停业', NULL, 1000, 30, false, NULL),
    ('E17', '午仪器', '民营', 'C3911', '39', 'C', '320505', DATE '2019-04-04', 'active', '存续', NULL, 2000, 60, false, NULL),
    ('E18', '未光电', '民营', 'C3911', '39', 'C', '320506', DATE '2014-08-08', 'active', '存续', NULL, 3000, 90, false, NULL),
    ('E19', '申纺织', '民营', 'C3911', '39', 'C', '320507', DATE '2013-10-10', 'active', '存续', NULL, 900, 40, false, NULL),
    ('E20', '酉纺织', '民营', 'C3911', '39', 'C', '320505', DATE '2011-11-11', 'active', '存续', NULL, 900, 40, false, NULL),
    ('E21', '戌信息', '民营', 'I6510', '65', 'I', '320506', DATE '2020-01-15', 'active', '存续', NULL, 300, 12, false, NULL),
    ('E22', '亥汽配', '民营', 'C3911', '39', 'C', '320507', DATE '2021-07-07', 'active', '存续', NULL, 5000.000001, 100, false, NULL),
    ('E23', '集体农机', '集体', 'C3911', '39', 'C', '320507', DATE '2021-05-05', 'cancelled', '注销', DATE '2023-05-05', NULL, NULL, false, NULL),
    ('E24', '短命商贸', '民营', 'F5211', '52', 'F', '320505', DATE '2022-02-02', 'revoked', '吊销', DATE '2022-12-31', NULL, NULL, false, NULL),
    ('E25', '迁走餐饮', '个体', 'H6210', '62', 'H', '320506', DATE '2020-08-08', 'moved_out', '迁出', DATE '2021-03-03', NULL, NULL, false, NULL),
    ('E26', '明年科技', '民营', 'I6510', '65', 'I', '320505', DATE '2026-01-10', 'active', '存续', NULL, NULL, NULL, false, NULL);
UPDATE registry SET unknown_district = true WHERE uscc = 'E10';
UPDATE registry SET missing_cancelled_on = true WHERE uscc = 'E11';
UPDATE registry SET uscc_valid = false WHERE uscc = 'E20';

-- Appeals: id, credit code, submitted, category, common, department, responded, closed, satisfaction
INSERT INTO appeals (appeal_id, uscc, submitted_at, category, is_common, department, responded_at, closed_at, satisfaction) VALUES
    ('A01', 'E01', TIMESTAMP '2025-01-20 09:00:00', '融资信贷', true,  '金融办',     TIMESTAMP '2025-02-14 17:30:00', TIMESTAMP '2025-02-20 10:00:00', '满意'),
    ('A02', 'E02', TIMESTAMP '2025-09-26 10:00:00', '账款拖欠', true,  '工信局',     TIMESTAMP '2025-10-24 09:00:00', TIMESTAMP '2025-10-30 10:00:00', '基本满意'),
    ('A03', 'E03', TIMESTAMP '2025-02-08 14:00:00', '用工人才', true,  '人社局',     TIMESTAMP '2025-02-10 09:00:00', TIMESTAMP '2025-02-12 10:00:00', '不满意'),
    ('A04', 'E04', TIMESTAMP '2025-09-28 11:00:00', '市场准入', false, '市场监管局', TIMESTAMP '2025-10-11 15:00:00', TIMESTAMP '2025-10-15 10:00:00', NULL),
    ('A05', 'E05', TIMESTAMP '2025-12-20 10:00:00', '政策落实', true,  '发改委',     TIMESTAMP '2026-01-05 09:00:00', TIMESTAMP '2026-01-08 10:00:00', '满意'),
    ('A06', 'E06', TIMESTAMP '2025-11-20 15:00:00', '要素保障', true,  '自然资源局', NULL, NULL, NULL),
    ('A07', 'U97', TIMESTAMP '2025-12-01 09:00:00', '税费',     true,  '税务局',     TIMESTAMP '2026-01-10 09:00:00', NULL, NULL),
    ('A08', 'E10', TIMESTAMP '2025-03-03 09:00:00', '知识产权', false, NULL,         TIMESTAMP '2025-03-04 09:00:00', TIMESTAMP '2025-03-05 09:00:00', '满意'),
    ('A09', 'E17', TIMESTAMP '2025-04-03 16:00:00', '科技创新', true,  '科技局',     TIMESTAMP '2025-04-27 10:00:00', TIMESTAMP '2025-04-28 10:00:00', '不满意'),
    ('A10', 'E18', TIMESTAMP '2025-10-09 10:00:00', '涉企执法', true,  '市场监管局', TIMESTAMP '2025-10-20 10:00:00', NULL, NULL),
    ('A11', 'E01', TIMESTAMP '2024-09-27 10:00:00', '融资信贷', true,  '金融办',     TIMESTAMP '2024-10-23 16:00:00', TIMESTAMP '2024-10-25 10:00:00', '满意'),
    ('A12', 'E02', TIMESTAMP '2024-12-20 10:00:00', '账款拖欠', true,  '工信局',     TIMESTAMP '2025-01-06 10:00:00', TIMESTAMP '2025-01-07 10:00:00', '满意'),
    ('A13', 'E03', TIMESTAMP '2024-03-15 10:00:00', '其他',     false, '税务局',     TIMESTAMP '2024-03-18 10:00:00', TIMESTAMP '2024-03-20 10:00:00', '基本满意'),
    ('A15', 'E19', TIMESTAMP '2025-12-15 09:00:00', '融资信贷', true,  '金融办',     TIMESTAMP '2025-12-31 23:59:59', TIMESTAMP '2026-01-02 10:00:00', '满意'),
    ('A16', 'E20', TIMESTAMP '2025-12-31 23:00:00', '其他',     false, '发改委',     NULL, NULL, NULL),
    ('A17', 'E21', TIMESTAMP '2023-03-01 10:00:00', '税费',     true,  '税务局',     TIMESTAMP '2023-03-02 10:00:00', TIMESTAMP '2023-03-03 10:00:00', '满意');
UPDATE appeals SET orphan = true WHERE uscc = 'U97';
UPDATE appeals SET unknown_category = true WHERE appeal_id = 'A13';

-- Innovation declarations: credit code, year, R&D expense, revenue, R&D staff, staff, invention patents,
-- other IP, standards, technology contracts, equity financing
INSERT INTO innovation (uscc, year, rd_expense, revenue, rd_staff, staff, invention_patents, other_ip, standards, tech_contract_amount, equity_financing) VALUES
    ('E01', 2025, 600, 4000, 30, 100, 2, 10, 1, 250, 1000),
    ('E02', 2025, 1200, 5000, 0, 0, 5, 40, 0, 0, 0),
    ('E03', 2025, 1000, 20000, NULL, NULL, 10, NULL, NULL, NULL, NULL),
    ('E04', 2025, 6, 120, 0, 3, 0, 0, 0, 0, 0),
    ('E05', 2025, 12.3, 100, 0, 10, 0, 0, 0, 0, 0),
    ('E06', 2025, 10, 99.999999, 0, 5, 0, 0, 0, 0, 0),
    ('E07', 2025, 30, 0, 3, 10, 0, 0, 0, 0, 0),
    ('E09', 2025, 2000.1, 20000.5, 0, 300, 0, 0, 0, 0, 0),
    ('E12', 2025, 100, 1000, 0, 900, 0, 0, 0, 0, 0),
    ('E14', 2025, 0, 500, 0, 15, 0, 0, 3, 0, 0),
    ('E16', 2025, 20, 1000, 0, 30, 0, 0, 0, 0, 0),
    ('E17', 2025, 200, 2000, 0, 60, 0, 6, 0, 0, 0),
    ('E18', 2025, 300, 3000, 0, 90, 0, 0, 0, 0, 0),
    ('E19', 2025, 50, 1000, 0, 40, 0, 0, 0, 0, 0),
    ('E20', 2025, 50, 1000, 0, 40, 0, 0, 0, 0, 0),
    ('E21', 2025, 36.9, 300, 0, 12, 0, 0, 0, 0, 0),
    ('E22', 2025, 1000, 5000.000001, 0, 100, 0, 0, 0, 0, 0),
    ('U99', 2025, 500, 2500, 0, 50, 0, 0, 0, 0, 0),
    ('E01', 2024, 320, 3200, 0, 100, 0, 0, 0, 0, 0),
    ('E02', 2024, 100, 0, 0, 0, 0, 0, 0, 0, 0),
    ('E03', 2024, 500, 25000, 0, 400, 0, 0, 0, 0, 0),
    ('E04', 2024, 0, 100, 0, 3, 0, 0, 0, 0, 0),
    ('E22', 2023, 400, 4000, 0, 100, 0, 0, 0, 0, 0);
UPDATE innovation SET orphan = true WHERE uscc = 'U99';

-- Donations: id, credit code, date, amount (万元), form, programme, verified
INSERT INTO donations (donation_id, uscc, donated_on, amount, form, program, verified) VALUES
    ('D01', 'E19', DATE '2025-03-10', 20, '现金', '教育', true),
    ('D02', 'E19', DATE '2025-06-10', 10, '物资', '医疗', true),
    ('D03', 'E19', DATE '2024-05-01', 3, '现金', '教育', true),
    ('D04', 'E19', DATE '2023-05-01', 3, '现金', '教育', true),
    ('D05', 'E19', DATE '2022-05-01', 3, '现金', '教育', true),
    ('D06', 'E20', DATE '2025-03-10', 20, '现金', '万企兴万村', true),
    ('D07', 'E20', DATE '2025-07-01', 10, '服务', '教育', true),
    ('D08', 'E20', DATE '2024-07-01', 5, '现金', '教育', false),
    ('D09', 'E07', DATE '2025-01-05', 0.1, '现金', '教育', true),
    ('D10', 'E07', DATE '2025-02-05', 8.2, '现金', '教育', true),
    ('D11', 'E07', DATE '2025-12-31', 1.7, '物资', '医疗', true),
    ('D12', 'E08', DATE '2025-04-01', 55, '现金', '光彩事业', true),
    ('D13', 'E08', DATE '2025-04-02', 5, '现金', '万企兴万村', true),
    ('D14', 'E08', DATE '2024-04-01', 1, '现金', '光彩事业', true),
    ('D15', 'E10', DATE '2025-04-01', 55, '现金', '光彩事业', true),
    ('D16', 'E10', DATE '2025-04-02', 5, '现金', '万企兴万村', true),
    ('D17', 'E10', DATE '2024-04-01', 1, '现金', '光彩事业', true),
    ('D18', 'E15', DATE '2025-12-01', 15, '物资', '救灾', true),
    ('D19', 'E15', DATE '2025-12-02', 5, '服务', '扶老助残', true),
    ('D20', 'E14', DATE '2025-09-09', 5, '现金', '万企兴万村', true),
    ('D21', 'E17', DATE '2025-08-08', 9.999999, '现金', '教育', true),
    ('D22', 'E12', DATE '2025-05-05', 100, '现金', '教育', true),
    ('D23', 'U98', DATE '2025-05-05', 50, '现金', '教育', true),
    ('D24', 'E01', DATE '2025-06-06', 200, '现金', '教育', false),
    ('D25', 'E01', DATE '2026-01-15', 30, '现金', '教育', true),
    ('D26', 'E04', DATE '2021-03-03', 2, '现金', '万企兴万村', true);
UPDATE donations SET orphan = true WHERE uscc = 'U98';

INSERT INTO chambers (chamber_id, name, kind, established_on, member_count) VALUES
    ('CH01', '机械行业商会', '行业商会', DATE '2018-01-01', 50),
    ('CH02', '温州商会', '异地商会', DATE '2022-06-01', 30),
    ('CH03', '吴中区商会', '区域商会', DATE '2010-01-01', 80),
    ('CH04', '新材料商会', '行业商会', DATE '2026-01-15', 10);

INSERT INTO chamber_activities (chamber_id, held_on, kind, participants) VALUES
    ('CH01', DATE '2024-06-01', '会员大会', 40),
    ('CH01', DATE '2025-03-01', '理事会', 10),
    ('CH01', DATE '2025-05-01', '品牌活动', 100),
    ('CH01', DATE '2025-09-01', '培训', 30),
    ('CH01', DATE '2025-11-01', '其他', 20),
    ('CH01', DATE '2026-01-20', '会员大会', 45),
    ('CH02', DATE '2025-02-02', '理事会', 8),
    ('CH02', DATE '2025-06-06', '培训', 25),
    ('CH02', DATE '2025-12-31', '品牌活动', 60),
    ('CH03', DATE '2023-05-05', '会员大会', 70),
    ('CH03', DATE '2023-06-06', '培训', 20),
    ('CH03', DATE '2023-07-07', '理事会', 9),
    ('CH03', DATE '2025-01-10', '会员大会', 75),
    ('CH03', DATE '2025-04-04', '培训', 30),
    ('CH99', DATE '2025-05-05', '会员大会', 50);
UPDATE chamber_activities SET orphan = true, unknown_chamber = true WHERE chamber_id = 'CH99';

INSERT INTO chamber_fees (chamber_id, year, due, collected) VALUES
    ('CH01', 2025, 10, 8),
    ('CH01', 2024, 10, 6),
    ('CH02', 2025, 5, 5),
    ('CH02', 2025, 2.5, NULL),
    ('CH99', 2025, 3, 3);

INSERT INTO rejects VALUES
    ('registry', 'registry/registry.csv', '30', 'uscc', 'bad_uscc', '91320500XXX', '91320500XXX,某公司,…'),
    ('registry', 'registry/registry.csv', '31', 'uscc', 'duplicate_uscc', 'E01', 'E01,甲机械,…'),
    ('appeals', 'appeals/appeals.csv', '20', 'submitted_at', 'missing_required', '', 'A99,E01,,…'),
    ('donations', 'donations/donations.csv', '30', 'amount', 'out_of_range', '-5', 'D99,E01,2025-01-01,-5,…');

INSERT INTO ingest_files VALUES
    ('registry', 'registry/registry.csv', 'aa11', 4096, 'utf-8', 28, 26, 2, 3, TIMESTAMP '2026-03-01 02:00:00'),
    ('appeals', 'appeals/appeals.csv', 'bb22', 2048, 'gbk', 17, 16, 1, 2, TIMESTAMP '2026-03-01 02:00:00'),
    ('innovation', 'innovation/innovation.csv', 'cc33', 2048, 'utf-8', 23, 23, 0, 1, TIMESTAMP '2026-03-01 02:00:00'),
    ('donations', 'donations/donations.csv', 'dd44', 2048, 'utf-8', 27, 26, 1, 1, TIMESTAMP '2026-03-01 02:00:00');
