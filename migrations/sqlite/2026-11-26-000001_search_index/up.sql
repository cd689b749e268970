-- Search in the Users and Companies lists: trigram full-text indexes over the searched columns,
-- so that a search for any substring of three or more characters reads the index instead of
-- every row. They index the tables' own columns (external content) and triggers keep them in
-- step with every insert, update of a searched column and delete.
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

CREATE VIRTUAL TABLE company_search USING fts5(
    name, external_id, content = 'companies', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO company_search (company_search) VALUES ('rebuild');

CREATE TRIGGER company_search_insert AFTER INSERT ON companies BEGIN
    INSERT INTO company_search (rowid, name, external_id) VALUES (new.id, new.name, new.external_id);
END;
CREATE TRIGGER company_search_delete AFTER DELETE ON companies BEGIN
    INSERT INTO company_search (company_search, rowid, name, external_id)
        VALUES ('delete', old.id, old.name, old.external_id);
END;
CREATE TRIGGER company_search_update AFTER UPDATE OF name, external_id ON companies BEGIN
    INSERT INTO company_search (company_search, rowid, name, external_id)
        VALUES ('delete', old.id, old.name, old.external_id);
    INSERT INTO company_search (rowid, name, external_id) VALUES (new.id, new.name, new.external_id);
END;
