-- +goose Up
-- Live calendars. Credentials (the secret link, the app password) are kept
-- sealed with the server's secret key; host and hint are what is shown.
CREATE TABLE calendar_connections (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    member          TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('ics', 'caldav')),
    host            TEXT NOT NULL,
    hint            TEXT NOT NULL,
    url_sealed      TEXT NOT NULL,
    username        TEXT NOT NULL,
    password_sealed TEXT NOT NULL,
    calendar        TEXT NOT NULL,
    calendar_name   TEXT NOT NULL,
    import_id       INTEGER NOT NULL REFERENCES imports (id),
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    sync_token      TEXT NOT NULL DEFAULT '',
    events          INTEGER NOT NULL DEFAULT 0,
    last_success_at INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    failures        INTEGER NOT NULL DEFAULT 0,
    next_sync_at    INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX calendar_connections_team ON calendar_connections (team_id);
CREATE INDEX calendar_connections_due ON calendar_connections (next_sync_at);

-- The calendar resources of a connection and the ETag last read.
CREATE TABLE calendar_objects (
    connection_id INTEGER NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    etag          TEXT NOT NULL,
    PRIMARY KEY (connection_id, key)
);

-- Which calendar resource an interaction came from ('' for files).
ALTER TABLE interactions ADD COLUMN object_key TEXT NOT NULL DEFAULT '';
CREATE INDEX interactions_import_object ON interactions (import_id, object_key);

-- +goose Down
DROP INDEX interactions_import_object;
ALTER TABLE interactions DROP COLUMN object_key;
DROP TABLE calendar_objects;
DROP TABLE calendar_connections;
