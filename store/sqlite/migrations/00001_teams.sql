-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    norms      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE members (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    email_key  TEXT NOT NULL,
    zone       TEXT NOT NULL,
    hours      TEXT NOT NULL,
    days       TEXT NOT NULL,
    aliases    TEXT NOT NULL,
    start_date TEXT NOT NULL,
    leave_date TEXT NOT NULL,
    holidays   TEXT NOT NULL,
    UNIQUE (team_id, email_key)
);
CREATE INDEX members_email ON members (email_key);

-- +goose Down
DROP TABLE members;
DROP TABLE teams;
DROP TABLE settings;
