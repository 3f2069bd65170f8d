-- The identity firewall (issue 15).
-- What a complainant types on a callback is kept sealed like the identity (SM4-GCM, bound to the
-- callback's id); `comment` holds only the firewalled text every staff role may see.
ALTER TABLE callbacks ADD COLUMN comment_key_id TEXT;
ALTER TABLE callbacks ADD COLUMN comment_nonce BYTEA;
ALTER TABLE callbacks ADD COLUMN comment_ct BYTEA;
-- What the firewall found in a draft's source texts (JSON list); a version with any is not published.
ALTER TABLE disclosures ADD COLUMN identity_hits TEXT NOT NULL DEFAULT '[]';
