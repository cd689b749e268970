DROP INDEX users_reach;
ALTER TABLE users DROP COLUMN sms_reachable;
ALTER TABLE users DROP COLUMN email_reachable;
