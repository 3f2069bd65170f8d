-- The duplicate-index features of each case (JSON of ducha_triage::DupDoc), so the index is rebuilt at
-- start-up without re-analysing every text.
ALTER TABLE cases ADD COLUMN dup_doc TEXT;
