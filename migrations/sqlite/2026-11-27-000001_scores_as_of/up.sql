-- The date as of which the users' stored scores (RFM, health, engagement, fit) were computed,
-- kept only while no data changed after that rescoring: imports and settings changes clear it,
-- the rescoring that follows sets it. While it is today, RFM as of today is read from the
-- stored scores instead of being recomputed.
ALTER TABLE settings ADD COLUMN scores_as_of DATE;
