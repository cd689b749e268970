-- The RFM matrix and the scoring matrix count users by their stored scores: with these indexes
-- the counts read the index alone instead of every (wide) user row.
CREATE INDEX users_rfm_scores ON users (workspace_id, r_score, f_score, m_score);
CREATE INDEX users_fit_engagement ON users (workspace_id, fit_score, engagement_score);
