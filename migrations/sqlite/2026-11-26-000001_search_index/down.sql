DROP TRIGGER company_search_update;
DROP TRIGGER company_search_delete;
DROP TRIGGER company_search_insert;
DROP TABLE company_search;
DROP TRIGGER user_search_update;
DROP TRIGGER user_search_delete;
DROP TRIGGER user_search_insert;
DROP TABLE user_search;
