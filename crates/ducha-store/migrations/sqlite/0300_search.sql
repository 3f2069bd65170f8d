-- Issue 8: full-text search over cases. `search_tokens` is derived by the store on every write
-- (CJK bigrams, ASCII words, facet tokens: see src/search.rs); FTS5 indexes it as an
-- external-content table kept in step by triggers. No positions are needed (detail=none).
ALTER TABLE cases ADD COLUMN search_tokens TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_search_pending ON cases(id) WHERE search_tokens = '';

CREATE VIRTUAL TABLE cases_fts USING fts5(
    search_tokens,
    content = 'cases',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    detail = 'none'
);

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_tokens ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
    INSERT INTO cases_fts (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;
