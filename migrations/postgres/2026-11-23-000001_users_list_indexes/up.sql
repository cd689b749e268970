-- The Users list pages by keyset over (sort value, id) within a workspace; these indexes let
-- the default order and the most used sorts (last product usage, sign-up date, name) read one
-- page instead of sorting the whole workspace.
CREATE INDEX users_list_id ON users (workspace_id, id);
CREATE INDEX users_list_last_seen ON users (workspace_id, last_seen_at, id);
CREATE INDEX users_list_created ON users (workspace_id, created_at, id);
CREATE INDEX users_list_name ON users (workspace_id, name, id);
