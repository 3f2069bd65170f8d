-- Holiday years imported at run time (issue 17: holidays as data, not code), SQLite. The PostgreSQL
-- migration of the same number creates the same tables with the same columns.
--
-- One row per import of a State Council notice (国务院办公厅关于X年部分节假日安排的通知). The import of a
-- year in force is the one not superseded; an import that replaces it (explicitly: the app asks for
-- `replace`) sets `superseded_at` on the old row, which stays for the record. Nothing is deleted, so the
-- count of rows changes with every import: other instances compare it to see that they must reload.
CREATE TABLE holiday_imports (
    id               INTEGER PRIMARY KEY,
    -- The arrangement year the notice governs.
    year             INTEGER NOT NULL,
    -- 文号, e.g. 国办发明电〔2025〕7号; the date the notice bears (YYYY-MM-DD).
    doc_no           TEXT NOT NULL,
    dated            TEXT NOT NULL,
    -- Whether the year was also built in (data/holidays/) when this import replaced it: 0/1.
    replaced_builtin INTEGER NOT NULL DEFAULT 0,
    -- Who imported it: a user, or NULL for the command line (imported_by_name says which).
    imported_by      INTEGER REFERENCES users(id),
    imported_by_name TEXT NOT NULL,
    imported_at      INTEGER NOT NULL,
    superseded_at    INTEGER,
    -- The file as imported (rows in the layout of data/holidays/cn.csv), kept for the record.
    source_csv       TEXT NOT NULL
);
-- One import in force per year.
CREATE UNIQUE INDEX holiday_imports_in_force ON holiday_imports(year) WHERE superseded_at IS NULL;

-- The dates of an import, one row per date (ranges expanded): what the calendar is built from.
CREATE TABLE holiday_days (
    import_id INTEGER NOT NULL REFERENCES holiday_imports(id),
    -- A Beijing date, YYYY-MM-DD.
    day       TEXT NOT NULL,
    -- holiday (放假) | workday (调休上班)
    kind      TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    -- The notice's heading, e.g. 春节.
    name      TEXT NOT NULL,
    PRIMARY KEY (import_id, day)
);
