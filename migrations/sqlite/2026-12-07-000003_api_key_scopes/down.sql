UPDATE api_keys SET scope = CASE scope WHEN 'read' THEN 'viewer' WHEN 'write' THEN 'editor' ELSE scope END;
ALTER TABLE api_keys RENAME COLUMN scope TO role;
