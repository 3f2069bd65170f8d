-- Units and people administration (issue 17).
-- How a unit's webhook wants its messages: `generic` (signed JSON), `wecom` (企业微信群机器人) or
-- `dingtalk` (钉钉群机器人); an SMS number for notices; when the unit was retired (kept for history,
-- never assigned again).
ALTER TABLE units ADD COLUMN webhook_kind TEXT NOT NULL DEFAULT 'generic';
ALTER TABLE units ADD COLUMN contact_sms TEXT;
ALTER TABLE units ADD COLUMN retired_at INTEGER;
-- A password set by an administrator must be changed at the next sign-in.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

