-- Issue 4: reminders and overdue escalation per assignment, extension bookkeeping, and the burden
-- events the dashboards count (night deliveries held or overridden, refused compressions).
ALTER TABLE assignments ADD COLUMN reminded_at INTEGER;
ALTER TABLE assignments ADD COLUMN escalated_at INTEGER;
ALTER TABLE assignments ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0;

CREATE TABLE burden_events (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    case_id INTEGER REFERENCES cases(id),
    user_id INTEGER REFERENCES users(id),
    at      INTEGER NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX burden_events_kind ON burden_events(kind, unit_id);

ALTER TABLE batches ADD COLUMN city_acknowledged_at INTEGER;
