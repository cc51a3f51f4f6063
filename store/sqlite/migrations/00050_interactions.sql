-- +goose Up
-- One row per imported file; content_hash makes re-imports no-ops.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    format          TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    read_count      INTEGER NOT NULL,
    stored          INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,
    skipped_reasons TEXT NOT NULL,
    notes           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (team_id, content_hash)
);

-- Interaction metadata: who, when, how long, which thread or channel.
-- Never message text, subjects or descriptions. Times are UTC
-- microseconds since the epoch.
CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    import_id    INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    ext_id       TEXT NOT NULL,
    mode         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    start_us     INTEGER NOT NULL,
    end_us       INTEGER NOT NULL,
    all_day      INTEGER NOT NULL,
    organizer    TEXT NOT NULL,
    participants TEXT NOT NULL,
    attendees    INTEGER NOT NULL,
    resources    INTEGER NOT NULL,
    thread_id    TEXT NOT NULL,
    in_reply_to  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    channel_kind TEXT NOT NULL,
    recurring    INTEGER NOT NULL
);
CREATE INDEX interactions_team_start ON interactions (team_id, start_us);
CREATE INDEX interactions_import ON interactions (import_id);

-- +goose Down
DROP TABLE interactions;
DROP TABLE imports;
