DROP TRIGGER user_search_company_name;
DROP TRIGGER user_search_update;
DROP TRIGGER user_search_delete;
DROP TRIGGER user_search_insert;
DROP TABLE user_search;

CREATE VIRTUAL TABLE user_search USING fts5(
    name, email, external_id, content = 'users', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO user_search (user_search) VALUES ('rebuild');

CREATE TRIGGER user_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO user_search (rowid, name, email, external_id) VALUES (new.id, new.name, new.email, new.external_id);
END;
CREATE TRIGGER user_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO user_search (user_search, rowid, name, email, external_id)
        VALUES ('delete', old.id, old.name, old.email, old.external_id);
END;
CREATE TRIGGER user_search_update AFTER UPDATE OF name, email, external_id ON users BEGIN
    INSERT INTO user_search (user_search, rowid, name, email, external_id)
        VALUES ('delete', old.id, old.name, old.email, old.external_id);
    INSERT INTO user_search (rowid, name, email, external_id) VALUES (new.id, new.name, new.email, new.external_id);
END;
