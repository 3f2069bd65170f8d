-- Public disclosure (issue 6, R2): versioned batch disclosures per column (a county-level unit's, or
-- the city's), drafted → reviewed → published. A published version is immutable (enforced here by
-- triggers as well as by the code); a correction is a new version with a visible note. The content is
-- the JSON snapshot of what the public sees (built only from public types); its SM3 hash is recorded in
-- the audit trail at publication.

CREATE TABLE disclosures (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    batch_id     INTEGER NOT NULL REFERENCES batches(id),
    column_code  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    layout       TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    updated_at   INTEGER NOT NULL,
    reviewed_at  INTEGER,
    reviewed_by  INTEGER REFERENCES users(id),
    published_at INTEGER,
    published_by INTEGER REFERENCES users(id),
    audit_seq    INTEGER,
    UNIQUE (batch_id, column_code, version)
);
CREATE INDEX disclosures_column ON disclosures(campaign_id, column_code, status);

-- Which cases a published version disclosed (for the R2.6 completeness check).
CREATE TABLE disclosure_cases (
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (disclosure_id, case_id)
);
CREATE INDEX disclosure_cases_case ON disclosure_cases(case_id);

CREATE TRIGGER disclosures_published_no_update BEFORE UPDATE ON disclosures
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'published disclosure is immutable');
END;

CREATE TRIGGER disclosures_published_no_delete BEFORE DELETE ON disclosures
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'published disclosure is immutable');
END;

-- Open311 tokens: a client that posts a request may look up its service_request_id later.
CREATE TABLE open311_tokens (
    token      TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    created_at INTEGER NOT NULL
);
