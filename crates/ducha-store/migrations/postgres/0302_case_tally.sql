-- Issue 9: dashboards over a million cases. Case counts per (campaign, county office, county,
-- township, type list, stage, whether a due time is set) and per (campaign, county office, county, Beijing day), kept by a
-- trigger in the same transaction as every write to `cases`, so they never drift from the rows.
-- Derived data: backups leave them out and a restore rebuilds them through the same trigger.
-- NULL keys are stored as 0 / '' (a primary key column cannot hold NULL).
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
);

CREATE TABLE case_tally_day (
    campaign_id BIGINT NOT NULL,
    county_unit_id BIGINT NOT NULL,
    county_code TEXT NOT NULL,
    day BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, county_unit_id, county_code, day)
);

INSERT INTO case_tally
SELECT campaign_id, COALESCE(county_unit_id, 0), COALESCE(county_code, ''), COALESCE(township_code, ''),
       pollution_types, stage, CASE WHEN due_at IS NULL THEN 0 ELSE 1 END, COUNT(*)
FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO case_tally_day
SELECT campaign_id, COALESCE(county_unit_id, 0), COALESCE(county_code, ''), (received_at + 28800000) / 86400000,
       COUNT(*)
FROM cases GROUP BY 1, 2, 3, 4;

CREATE FUNCTION case_tally_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_tally SET n = n - 1
        WHERE campaign_id = OLD.campaign_id AND county_unit_id = COALESCE(OLD.county_unit_id, 0)
          AND county_code = COALESCE(OLD.county_code, '') AND township_code = COALESCE(OLD.township_code, '')
          AND pollution_types = OLD.pollution_types AND stage = OLD.stage
      AND has_due = CASE WHEN OLD.due_at IS NULL THEN 0 ELSE 1 END;
        UPDATE case_tally_day SET n = n - 1
        WHERE campaign_id = OLD.campaign_id AND county_unit_id = COALESCE(OLD.county_unit_id, 0)
          AND county_code = COALESCE(OLD.county_code, '') AND day = (OLD.received_at + 28800000) / 86400000;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO case_tally VALUES (NEW.campaign_id, COALESCE(NEW.county_unit_id, 0), COALESCE(NEW.county_code, ''),
            COALESCE(NEW.township_code, ''), NEW.pollution_types, NEW.stage,
        CASE WHEN NEW.due_at IS NULL THEN 0 ELSE 1 END, 1)
        ON CONFLICT (campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, has_due)
        DO UPDATE SET n = case_tally.n + 1;
        INSERT INTO case_tally_day VALUES (NEW.campaign_id, COALESCE(NEW.county_unit_id, 0), COALESCE(NEW.county_code, ''),
            (NEW.received_at + 28800000) / 86400000, 1)
        ON CONFLICT (campaign_id, county_unit_id, county_code, day) DO UPDATE SET n = case_tally_day.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_tally_follow
AFTER INSERT OR DELETE OR UPDATE OF campaign_id, county_unit_id, county_code, township_code, pollution_types, stage, received_at, due_at
ON cases FOR EACH ROW EXECUTE FUNCTION case_tally_follow();

-- Open cases not yet due, by county: with the tally's open cases that have a due time, the
-- on-time/overdue chart reads only the not-yet-due end of this index.
CREATE INDEX cases_open_due ON cases(campaign_id, due_at, county_unit_id, county_code)
WHERE due_at IS NOT NULL AND stage NOT IN ('closed', 'partly_closed', 'duplicate', 'awaiting_verification');
