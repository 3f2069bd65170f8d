-- Campaigns are edited through the admin use case: a version for optimistic concurrency and the
-- time of the last edit.
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
