-- ducha backbone schema (SQLite). Instants are INTEGER milliseconds since the Unix epoch (UTC).
-- The PostgreSQL migration of the same number creates the same tables with the same columns.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT
);
CREATE INDEX regions_parent ON regions(parent_code);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    dept_kind   TEXT,
    parent_id   INTEGER REFERENCES units(id),
    region_code TEXT,
    path        TEXT NOT NULL,
    contact_email TEXT,
    contact_webhook TEXT
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_region ON units(region_code);

CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    team_name        TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL,
    hotlines         TEXT NOT NULL,
    postal_box       TEXT NOT NULL,
    hours_start      TEXT NOT NULL,
    hours_end        TEXT NOT NULL,
    round_no         INTEGER NOT NULL,
    province_letters TEXT NOT NULL,
    regions          TEXT NOT NULL,
    team_unit_id     INTEGER NOT NULL REFERENCES units(id),
    city_unit_id     INTEGER NOT NULL REFERENCES units(id),
    settings         TEXT NOT NULL DEFAULT '{}',
    created_at       INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    role          TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE batches (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
    number         INTEGER NOT NULL,
    answering_date TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    assigned_at    INTEGER,
    due_at         INTEGER,
    created_by     INTEGER REFERENCES users(id),
    UNIQUE (campaign_id, number)
);

CREATE TABLE accept_counters (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    day         TEXT NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, day)
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
    accept_no       TEXT NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    original_text   TEXT NOT NULL,
    redacted_text   TEXT NOT NULL,
    county_code     TEXT,
    township_code   TEXT,
    village_code    TEXT,
    pollution_types TEXT NOT NULL DEFAULT '',
    sansan          TEXT,
    triage          TEXT NOT NULL DEFAULT '{}',
    dup_of          INTEGER REFERENCES cases(id),
    repeat_count    INTEGER NOT NULL DEFAULT 0,
    stage           TEXT NOT NULL,
    batch_id        INTEGER REFERENCES batches(id),
    county_unit_id  INTEGER REFERENCES units(id),
    handler_unit_id INTEGER REFERENCES units(id),
    due_at          INTEGER,
    finding         TEXT,
    has_identity    INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER REFERENCES users(id),
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_stage ON cases(campaign_id, stage);
CREATE INDEX cases_county ON cases(county_unit_id, stage);
CREATE INDEX cases_handler ON cases(handler_unit_id, stage);
CREATE INDEX cases_batch ON cases(batch_id);
CREATE INDEX cases_received ON cases(campaign_id, received_at);
CREATE INDEX cases_dup ON cases(dup_of);
CREATE INDEX cases_region ON cases(county_code, township_code);

CREATE TABLE complainant_identities (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    key_id     TEXT NOT NULL,
    nonce      BLOB NOT NULL,
    ciphertext BLOB NOT NULL
);

CREATE TABLE crypto_keys (
    key_id     TEXT PRIMARY KEY,
    check_nonce BLOB NOT NULL,
    check_ct   BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);

CREATE TABLE assignments (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    level           TEXT NOT NULL,
    parent_id       INTEGER REFERENCES assignments(id),
    is_lead         INTEGER NOT NULL DEFAULT 1,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    due_at          INTEGER,
    acknowledged_at INTEGER,
    returned_at     INTEGER,
    return_reason   TEXT,
    completed_at    INTEGER,
    override_reason TEXT,
    created_by      INTEGER REFERENCES users(id)
);
CREATE INDEX assignments_case ON assignments(case_id);
CREATE INDEX assignments_unit ON assignments(unit_id, status);

CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor_user_id INTEGER,
    actor_unit_id INTEGER,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    detail        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    created_at    INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    unit_id       INTEGER REFERENCES units(id),
    user_id       INTEGER REFERENCES users(id),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    deliver_after INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    locked_by     TEXT,
    locked_until  INTEGER,
    delivered_at  INTEGER,
    override_reason TEXT
);
CREATE INDEX outbox_due ON outbox(status, deliver_after);

CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    outbox_id  INTEGER UNIQUE REFERENCES outbox(id),
    unit_id    INTEGER REFERENCES units(id),
    user_id    INTEGER REFERENCES users(id),
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX inbox_unit ON inbox(unit_id, read_at);

CREATE TABLE triage_corrections (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    user_id    INTEGER REFERENCES users(id),
    at         INTEGER NOT NULL
);
CREATE INDEX triage_corrections_case ON triage_corrections(case_id);
