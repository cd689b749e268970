-- The users' search index also holds the name of each user's company, so that one index answers
-- a search of the Users list (name, email, external id, company name) and yields its users in id
-- order: the list's first page and its bounded total read only as many matches as they need,
-- instead of collecting every match first. The company name is not a column of `users`, so the
-- index keeps no content of its own (`content = ''`; rows deleted by rowid): triggers on users
-- and on companies write each user's four texts.
DROP TRIGGER user_search_update;
DROP TRIGGER user_search_delete;
DROP TRIGGER user_search_insert;
DROP TABLE user_search;

CREATE VIRTUAL TABLE user_search USING fts5(
    name, email, external_id, company, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO user_search (rowid, name, email, external_id, company)
    SELECT u.id, u.name, u.email, u.external_id, c.name FROM users u LEFT JOIN companies c ON c.id = u.company_id;

CREATE TRIGGER user_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO user_search (rowid, name, email, external_id, company)
        VALUES (new.id, new.name, new.email, new.external_id, (SELECT name FROM companies WHERE id = new.company_id));
END;
CREATE TRIGGER user_search_delete AFTER DELETE ON users BEGIN
    DELETE FROM user_search WHERE rowid = old.id;
END;
CREATE TRIGGER user_search_update AFTER UPDATE OF name, email, external_id, company_id ON users
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.external_id IS NOT new.external_id
    OR old.company_id IS NOT new.company_id
BEGIN
    DELETE FROM user_search WHERE rowid = old.id;
    INSERT INTO user_search (rowid, name, email, external_id, company)
        VALUES (new.id, new.name, new.email, new.external_id, (SELECT name FROM companies WHERE id = new.company_id));
END;
-- A company's new name, for each of its users.
CREATE TRIGGER user_search_company_name AFTER UPDATE OF name ON companies WHEN old.name IS NOT new.name BEGIN
    DELETE FROM user_search WHERE rowid IN (SELECT id FROM users WHERE company_id = new.id);
    INSERT INTO user_search (rowid, name, email, external_id, company)
        SELECT id, name, email, external_id, new.name FROM users WHERE company_id = new.id;
END;
