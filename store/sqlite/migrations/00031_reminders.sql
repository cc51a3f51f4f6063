-- +goose Up
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    thread_id       INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    member          TEXT NOT NULL,
    member_key      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    channel         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    send_at         INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_at      INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    UNIQUE (thread_id, member_key, kind, channel)
);
CREATE INDEX reminders_ready ON reminders (state, next_attempt_at);
CREATE INDEX reminders_team ON reminders (team_id, state);

-- +goose Down
DROP TABLE reminders;
