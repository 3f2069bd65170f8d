-- Issue 9: dashboards over a million cases. Case counts per (campaign, county office, county,
-- township, type list, stage, whether a due time is set) and per (campaign, county office, county, Beijing day), kept by
-- triggers in the same transaction as every write to `cases`, so they never drift from the rows.
-- Derived data: backups leave them out and a restore rebuilds them through the same triggers.
-- NULL keys are stored as 0 / '' (a primary key column cannot hold NULL and compare equal).
CREATE TABLE case_tally (
    campaign_id BIGINT NOT NULL,
    county_unit_id BIGINT NOT NULL,
    county_code TEXT NOT NULL,
    township_code TEXT NOT NULL,
    pollution_types TEXT NOT NULL,
    stage TEXT NOT NULL,
    has_due INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, has_due)
) WITHOUT ROWID;

CREATE TABLE case_tally_day (
    campaign_id BIGINT NOT NULL,
    county_unit_id BIGINT NOT NULL,
    county_code TEXT NOT NULL,
    day BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, county_unit_id, county_code, day)
) WITHOUT ROWID;

INSERT INTO case_tally
SELECT campaign_id, COALESCE(county_unit_id, 0), COALESCE(county_code, ''), COALESCE(township_code, ''),
       pollution_types, stage, CASE WHEN due_at IS NULL THEN 0 ELSE 1 END, COUNT(*)
FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO case_tally_day
SELECT campaign_id, COALESCE(county_unit_id, 0), COALESCE(county_code, ''), (received_at + 28800000) / 86400000,
       COUNT(*)
FROM cases GROUP BY 1, 2, 3, 4;

CREATE TRIGGER case_tally_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_tally VALUES (new.campaign_id, COALESCE(new.county_unit_id, 0), COALESCE(new.county_code, ''),
        COALESCE(new.township_code, ''), new.pollution_types, new.stage,
        CASE WHEN new.due_at IS NULL THEN 0 ELSE 1 END, 1)
    ON CONFLICT (campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, has_due)
    DO UPDATE SET n = n + 1;
    INSERT INTO case_tally_day VALUES (new.campaign_id, COALESCE(new.county_unit_id, 0), COALESCE(new.county_code, ''),
        (new.received_at + 28800000) / 86400000, 1)
    ON CONFLICT (campaign_id, county_unit_id, county_code, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_tally_delete AFTER DELETE ON cases BEGIN
    UPDATE case_tally SET n = n - 1
    WHERE campaign_id = old.campaign_id AND county_unit_id = COALESCE(old.county_unit_id, 0)
      AND county_code = COALESCE(old.county_code, '') AND township_code = COALESCE(old.township_code, '')
      AND pollution_types = old.pollution_types AND stage = old.stage
      AND has_due = CASE WHEN old.due_at IS NULL THEN 0 ELSE 1 END;
    UPDATE case_tally_day SET n = n - 1
    WHERE campaign_id = old.campaign_id AND county_unit_id = COALESCE(old.county_unit_id, 0)
      AND county_code = COALESCE(old.county_code, '') AND day = (old.received_at + 28800000) / 86400000;
END;

CREATE TRIGGER case_tally_update
AFTER UPDATE OF campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, received_at, due_at ON cases
BEGIN
    UPDATE case_tally SET n = n - 1
    WHERE campaign_id = old.campaign_id AND county_unit_id = COALESCE(old.county_unit_id, 0)
      AND county_code = COALESCE(old.county_code, '') AND township_code = COALESCE(old.township_code, '')
      AND pollution_types = old.pollution_types AND stage = old.stage
      AND has_due = CASE WHEN old.due_at IS NULL THEN 0 ELSE 1 END;
    UPDATE case_tally_day SET n = n - 1
    WHERE campaign_id = old.campaign_id AND county_unit_id = COALESCE(old.county_unit_id, 0)
      AND county_code = COALESCE(old.county_code, '') AND day = (old.received_at + 28800000) / 86400000;
    INSERT INTO case_tally VALUES (new.campaign_id, COALESCE(new.county_unit_id, 0), COALESCE(new.county_code, ''),
        COALESCE(new.township_code, ''), new.pollution_types, new.stage,
        CASE WHEN new.due_at IS NULL THEN 0 ELSE 1 END, 1)
    ON CONFLICT (campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, has_due)
    DO UPDATE SET n = n + 1;
    INSERT INTO case_tally_day VALUES (new.campaign_id, COALESCE(new.county_unit_id, 0), COALESCE(new.county_code, ''),
        (new.received_at + 28800000) / 86400000, 1)
    ON CONFLICT (campaign_id, county_unit_id, county_code, day) DO UPDATE SET n = n + 1;
END;

-- Open cases not yet due, by county: with the tally's open cases that have a due time, the
-- on-time/overdue chart reads only the not-yet-due end of this index.
CREATE INDEX cases_open_due ON cases(campaign_id, due_at, county_unit_id, county_code)
WHERE due_at IS NOT NULL AND stage NOT IN ('closed', 'partly_closed', 'duplicate', 'awaiting_verification');
