-- Handling to a verified close (issue 5): reports, shutdowns and alerts (R1), verification,
-- accountability and 容错 (R4), callbacks, attachments, discipline reports (R6), extensions (R5).

CREATE TABLE handling_reports (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    report     TEXT NOT NULL,
    finding    TEXT,
    unit_id    INTEGER REFERENCES units(id),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    submitted_at INTEGER,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE shutdowns (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    county_code     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    industry        TEXT,
    starts_on       TEXT,
    ends_on         TEXT,
    complaint_named INTEGER NOT NULL DEFAULT 1,
    verified_on     TEXT
);
CREATE INDEX shutdowns_county ON shutdowns(county_code, starts_on);
CREATE INDEX shutdowns_case ON shutdowns(case_id);

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    alert_key       TEXT NOT NULL UNIQUE,
    level           TEXT NOT NULL,
    unit_id         INTEGER REFERENCES units(id),
    county_code     TEXT,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    evidence        TEXT NOT NULL DEFAULT '[]',
    case_ids        TEXT NOT NULL DEFAULT '[]',
    escalation      INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by INTEGER REFERENCES users(id),
    resolved_at     INTEGER
);
CREATE INDEX alerts_open ON alerts(kind, resolved_at);

CREATE TABLE verifications (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    unit_id  INTEGER REFERENCES units(id),
    user_id  INTEGER REFERENCES users(id),
    at       INTEGER NOT NULL,
    outcome  TEXT NOT NULL,
    onsite   INTEGER NOT NULL DEFAULT 0,
    notes    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX verifications_case ON verifications(case_id);

CREATE TABLE accountability_records (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    record       TEXT NOT NULL,
    person_level TEXT NOT NULL,
    kind         TEXT NOT NULL,
    unit_name    TEXT NOT NULL,
    typical      INTEGER NOT NULL DEFAULT 0,
    case_ids     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id)
);

CREATE TABLE fault_tolerances (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    record      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);

CREATE TABLE callbacks (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    at           INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    result       TEXT NOT NULL,
    satisfaction TEXT,
    comment      TEXT NOT NULL DEFAULT '',
    user_id      INTEGER REFERENCES users(id)
);
CREATE INDEX callbacks_case ON callbacks(case_id);

CREATE TABLE callback_links (
    token_hash TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    uploaded_by  INTEGER REFERENCES users(id),
    at           INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    digest       TEXT NOT NULL,
    stored_path  TEXT NOT NULL,
    public_path  TEXT
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE discipline_reports (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    report     TEXT NOT NULL,
    contact_key_id TEXT,
    contact_nonce  BLOB,
    contact_ct     BLOB,
    status     TEXT NOT NULL DEFAULT 'new',
    handled_at INTEGER,
    handled_by INTEGER REFERENCES users(id),
    note       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE extension_requests (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    assignment_id INTEGER REFERENCES assignments(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    requested_days INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    requested_at  INTEGER NOT NULL,
    requested_by  INTEGER REFERENCES users(id),
    decided_at    INTEGER,
    decided_by    INTEGER REFERENCES users(id),
    approved      INTEGER,
    decision_note TEXT,
    new_due_at    INTEGER
);
CREATE INDEX extension_requests_case ON extension_requests(case_id);
