DROP INDEX users_list_name;
DROP INDEX users_list_created;
DROP INDEX users_list_last_seen;
DROP INDEX users_list_id;
