ALTER TABLE settings DROP COLUMN users_version;
