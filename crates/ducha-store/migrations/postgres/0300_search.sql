-- Issue 8: full-text search over cases. `search_tokens` is derived by the store on every write
-- (CJK bigrams, ASCII words, facet tokens: see src/search.rs). The GIN index takes the tokens
-- verbatim as lexemes (array_to_tsvector), so no text-search configuration or parser is involved.
ALTER TABLE cases ADD COLUMN search_tokens TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_search_pending ON cases(id) WHERE search_tokens = '';
CREATE INDEX cases_search ON cases USING GIN (array_to_tsvector(string_to_array(search_tokens, ' ')));
