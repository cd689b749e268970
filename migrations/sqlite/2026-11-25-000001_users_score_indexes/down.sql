DROP INDEX users_fit_engagement;
DROP INDEX users_rfm_scores;
