DROP INDEX companies_search_external;
DROP INDEX companies_search_name;
DROP INDEX users_search_external;
DROP INDEX users_search_email;
DROP INDEX users_search_name;
