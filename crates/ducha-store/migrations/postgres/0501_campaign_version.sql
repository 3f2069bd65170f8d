-- Campaigns are edited through the admin use case: a version for optimistic concurrency and the
-- time of the last edit.
ALTER TABLE campaigns ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
