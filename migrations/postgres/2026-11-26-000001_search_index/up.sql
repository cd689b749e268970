-- Search in the Users and Companies lists: trigram indexes (pg_trgm, a trusted extension that a
-- database owner may create) serve ILIKE '%text%' for any text of three or more characters.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_name ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_search_email ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_search_external ON users USING gin (external_id gin_trgm_ops);
CREATE INDEX companies_search_name ON companies USING gin (name gin_trgm_ops);
CREATE INDEX companies_search_external ON companies USING gin (external_id gin_trgm_ops);
