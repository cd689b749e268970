-- An API key acts with a scope (read, write, admin), no longer with an operator's role.
ALTER TABLE api_keys RENAME COLUMN role TO scope;
UPDATE api_keys SET scope = CASE scope WHEN 'viewer' THEN 'read' WHEN 'editor' THEN 'write' ELSE scope END;
