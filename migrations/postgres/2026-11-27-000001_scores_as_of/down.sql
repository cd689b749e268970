ALTER TABLE settings DROP COLUMN scores_as_of;
