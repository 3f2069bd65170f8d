-- Public-opinion monitoring (R3), SQLite. Instants are INTEGER milliseconds since the Unix epoch (UTC);
-- flags are 0/1 integers; scores are integers in thousandths. The PostgreSQL migration of the same
-- number creates the same tables with the same columns.

-- Feeds polled by the background worker.
CREATE TABLE opinion_sources (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL,
    url                  TEXT NOT NULL UNIQUE,
    outlet               TEXT,
    county_code          TEXT,
    interval_secs        INTEGER NOT NULL,
    enabled              INTEGER NOT NULL DEFAULT 1,
    -- never | ok | error | failing (failing: stopped until re-enabled)
    status               TEXT NOT NULL DEFAULT 'never',
    etag                 TEXT,
    last_modified        TEXT,
    last_polled_at       INTEGER,
    last_success_at      INTEGER,
    next_poll_at         INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    items_total          INTEGER NOT NULL DEFAULT 0,
    created_by           INTEGER REFERENCES users(id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX opinion_sources_due ON opinion_sources(enabled, status, next_poll_at);

-- One line per poll, for the sources page.
CREATE TABLE opinion_polls (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES opinion_sources(id),
    at          INTEGER NOT NULL,
    -- ok | not_modified | error
    outcome     TEXT NOT NULL,
    http_status INTEGER,
    items_new   INTEGER NOT NULL DEFAULT 0,
    items_seen  INTEGER NOT NULL DEFAULT 0,
    items_dup   INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX opinion_polls_source ON opinion_polls(source_id, at);

CREATE TABLE opinion_items (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER REFERENCES campaigns(id),
    source_id        INTEGER REFERENCES opinion_sources(id),
    -- feed | import | manual
    origin           TEXT NOT NULL,
    external_id      TEXT,
    url              TEXT,
    url_canonical    TEXT UNIQUE,
    title            TEXT,
    body             TEXT NOT NULL,
    author           TEXT,
    outlet           TEXT,
    platform         TEXT,
    published_at     INTEGER,
    collected_at     INTEGER NOT NULL,
    -- the item's day (Beijing time) for reports: published_at, else collected_at
    day              TEXT NOT NULL,
    reposts          INTEGER NOT NULL DEFAULT 0,
    comments         INTEGER NOT NULL DEFAULT 0,
    likes            INTEGER NOT NULL DEFAULT 0,
    views            INTEGER NOT NULL DEFAULT 0,
    followers        INTEGER NOT NULL DEFAULT 0,
    county_code      TEXT,
    township_code    TEXT,
    village_code     TEXT,
    place_evidence   TEXT NOT NULL DEFAULT '[]',
    enterprises      TEXT NOT NULL DEFAULT '[]',
    keywords         TEXT NOT NULL DEFAULT '[]',
    sentiment        TEXT NOT NULL,
    sentiment_milli  INTEGER NOT NULL DEFAULT 0,
    level            TEXT NOT NULL,
    -- the level the analysis computed (level may be changed by the desk's assessment)
    auto_level       TEXT NOT NULL,
    score_milli      INTEGER NOT NULL DEFAULT 0,
    signals          TEXT NOT NULL DEFAULT '[]',
    level_rule       TEXT,
    relevant         INTEGER NOT NULL DEFAULT 1,
    about_inspection INTEGER NOT NULL DEFAULT 0,
    fingerprint      TEXT,
    dup_of           INTEGER REFERENCES opinion_items(id),
    dup_count        INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'new',
    created_by       INTEGER REFERENCES users(id),
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opinion_items_day ON opinion_items(day, county_code);
CREATE INDEX opinion_items_status ON opinion_items(status, level);
CREATE INDEX opinion_items_county ON opinion_items(county_code, status);
CREATE INDEX opinion_items_dup ON opinion_items(dup_of);
CREATE INDEX opinion_items_external ON opinion_items(source_id, external_id);

-- Locality-sensitive band keys of item fingerprints: items sharing a key are near-duplicate candidates.
CREATE TABLE opinion_bands (
    band_key TEXT NOT NULL,
    item_id  INTEGER NOT NULL REFERENCES opinion_items(id),
    PRIMARY KEY (band_key, item_id)
);

-- Items linked to cases (automatically by matching, or by the desk).
CREATE TABLE opinion_links (
    item_id     INTEGER NOT NULL REFERENCES opinion_items(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    score_milli INTEGER NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL DEFAULT '[]',
    -- auto | manual
    origin      TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (item_id, case_id)
);
CREATE INDEX opinion_links_case ON opinion_links(case_id);

CREATE TABLE opinion_notes (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES opinion_items(id),
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    author_name TEXT NOT NULL,
    action      TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX opinion_notes_item ON opinion_notes(item_id, at);

-- Alerts to townships, escalations to the team and their copies to the city office, with
-- acknowledgement tracking.
CREATE TABLE opinion_alerts (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES opinion_items(id),
    -- alert | escalation | copy
    kind            TEXT NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    outbox_id       INTEGER REFERENCES outbox(id),
    message         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    deliver_after   INTEGER NOT NULL,
    deferred        INTEGER NOT NULL DEFAULT 0,
    override_reason TEXT,
    created_by      INTEGER REFERENCES users(id),
    acknowledged_at INTEGER,
    acknowledged_by INTEGER REFERENCES users(id),
    ack_note        TEXT
);
CREATE INDEX opinion_alerts_unit ON opinion_alerts(unit_id, acknowledged_at);
CREATE INDEX opinion_alerts_item ON opinion_alerts(item_id);
