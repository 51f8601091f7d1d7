-- The clean tables ingest leaves behind, with exactly the column names and types of the
-- source contract (docs/sources.md). Defaults only make the fixture
-- shorter to write; ingest always fills these columns.
CREATE TABLE registry (
    uscc VARCHAR, name VARCHAR, ownership VARCHAR, entity_type VARCHAR, industry_code VARCHAR,
    industry_division VARCHAR, industry_section VARCHAR, district_code VARCHAR,
    unknown_district BOOLEAN DEFAULT false, established_on DATE, status VARCHAR, status_raw VARCHAR,
    cancelled_on DATE, missing_cancelled_on BOOLEAN DEFAULT false, approved_on DATE,
    registered_capital DECIMAL(18,6), employees BIGINT, revenue DECIMAL(18,6), specialized_level VARCHAR,
    high_tech BOOLEAN DEFAULT false, chamber_id VARCHAR, unknown_chamber BOOLEAN DEFAULT false,
    uscc_valid BOOLEAN DEFAULT true, source_file VARCHAR DEFAULT 'registry/registry.csv', source_line VARCHAR,
    -- as ingest computes it (ingest.NameTailExpr): generated, so that a fixture's UPDATE of a name moves it
    name_tail VARCHAR AS (CASE WHEN contains(name, '(') OR contains(name, '（') THEN right(regexp_replace(CASE WHEN contains(name, '(') OR contains(name, '（') THEN regexp_replace(name, '[（(][^）)]*[）)]', '', 'g') ELSE name END, '(股份有限公司|有限责任公司|个人独资企业|普通合伙企业|有限合伙企业|有限公司|合伙企业|分公司|店|部)$', ''), 4) WHEN ends_with(name, '股份有限公司') THEN substring(name, -10, 4) WHEN ends_with(name, '有限责任公司') THEN substring(name, -10, 4) WHEN ends_with(name, '个人独资企业') THEN substring(name, -10, 4) WHEN ends_with(name, '普通合伙企业') THEN substring(name, -10, 4) WHEN ends_with(name, '有限合伙企业') THEN substring(name, -10, 4) WHEN ends_with(name, '有限公司') THEN substring(name, -8, 4) WHEN ends_with(name, '合伙企业') THEN substring(name, -8, 4) WHEN ends_with(name, '分公司') THEN substring(name, -7, 4) WHEN ends_with(name, '店') THEN substring(name, -5, 4) WHEN ends_with(name, '部') THEN substring(name, -5, 4) ELSE substring(name, -4, 4) END));
CREATE TABLE appeals (
    appeal_id VARCHAR, uscc VARCHAR, submitted_at TIMESTAMP, category VARCHAR,
    unknown_category BOOLEAN DEFAULT false, is_common BOOLEAN DEFAULT false, channel VARCHAR DEFAULT '平台',
    department VARCHAR, responded_at TIMESTAMP, closed_at TIMESTAMP, satisfaction VARCHAR, content VARCHAR, content_masked VARCHAR,
    orphan BOOLEAN DEFAULT false, source_file VARCHAR DEFAULT 'appeals/appeals.csv', source_line VARCHAR);
CREATE TABLE innovation (
    uscc VARCHAR, year INTEGER, rd_expense DECIMAL(18,6), revenue DECIMAL(18,6), rd_staff BIGINT, staff BIGINT,
    invention_patents BIGINT, other_ip BIGINT, standards BIGINT, tech_contract_amount DECIMAL(18,6),
    equity_financing DECIMAL(18,6), orphan BOOLEAN DEFAULT false,
    source_file VARCHAR DEFAULT 'innovation/innovation.csv', source_line VARCHAR);
CREATE TABLE donations (
    donation_id VARCHAR, uscc VARCHAR, donated_on DATE, amount DECIMAL(18,6), form VARCHAR, program VARCHAR,
    unknown_program BOOLEAN DEFAULT false, recipient VARCHAR, verified BOOLEAN, verified_assumed BOOLEAN DEFAULT false, orphan BOOLEAN DEFAULT false,
    source_file VARCHAR DEFAULT 'donations/donations.csv', source_line VARCHAR);
CREATE TABLE chambers (
    chamber_id VARCHAR, name VARCHAR, kind VARCHAR, established_on DATE, member_count BIGINT,
    source_file VARCHAR DEFAULT 'chambers/chambers.csv', source_line VARCHAR);
CREATE TABLE chamber_activities (
    chamber_id VARCHAR, held_on DATE, kind VARCHAR, participants BIGINT, unknown_chamber BOOLEAN DEFAULT false,
    orphan BOOLEAN DEFAULT false, source_file VARCHAR DEFAULT 'chamber_activities/activities.csv', source_line VARCHAR);
CREATE TABLE chamber_fees (
    chamber_id VARCHAR, year INTEGER, due DECIMAL(18,6), collected DECIMAL(18,6),
    source_file VARCHAR DEFAULT 'chamber_fees/fees.csv', source_line VARCHAR);
CREATE TABLE districts (
    district_code VARCHAR, name VARCHAR, source_file VARCHAR, source_line VARCHAR);
CREATE TABLE rejects (
    source VARCHAR, file VARCHAR, line VARCHAR, column_name VARCHAR, rule VARCHAR, value VARCHAR, raw VARCHAR);
CREATE TABLE ingest_files (
    source VARCHAR, file VARCHAR, sha256 VARCHAR, bytes BIGINT, encoding VARCHAR, rows_read BIGINT,
    rows_loaded BIGINT, rows_rejected BIGINT, rows_flagged BIGINT, ingested_at TIMESTAMP);
