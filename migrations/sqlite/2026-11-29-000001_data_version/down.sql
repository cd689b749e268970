ALTER TABLE settings DROP COLUMN data_version;
