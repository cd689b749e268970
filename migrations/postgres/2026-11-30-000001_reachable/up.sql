-- Whether a user is reachable by email (consent and a valid address, as
-- `domain::import::is_valid_email` checks it: see `analytics::valid_email_sql`) and by SMS
-- (consent and a phone number), kept by the database itself on every write, so that the users
-- overview, the consent filter of purchase activity and the contacts of segment metrics count
-- a column instead of matching every address. The index holds what the users overview counts.
ALTER TABLE users ADD COLUMN email_reachable BOOLEAN NOT NULL GENERATED ALWAYS AS (
    COALESCE(email_consent AND email IS NOT NULL AND (email LIKE '_%@%.%' AND email NOT LIKE '%@%@%' AND email NOT LIKE '%@.%' AND email NOT LIKE '%.' AND email !~ '[	
                  　]'), FALSE)) STORED;
ALTER TABLE users ADD COLUMN sms_reachable BOOLEAN NOT NULL GENERATED ALWAYS AS (
    COALESCE(sms_consent AND phone IS NOT NULL AND phone <> '', FALSE)) STORED;
CREATE INDEX users_reach ON users (workspace_id, email_reachable, sms_reachable, created_at, churned_at);
