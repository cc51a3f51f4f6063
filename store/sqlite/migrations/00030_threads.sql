-- +goose Up
CREATE TABLE threads (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    owner_key  TEXT NOT NULL,
    due_by     INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    playbook   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX threads_team_state ON threads (team_id, state, due_by);
CREATE INDEX threads_open_due ON threads (state, due_by);

CREATE TABLE thread_participants (
    thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    email     TEXT NOT NULL,
    email_key TEXT NOT NULL,
    PRIMARY KEY (thread_id, email_key)
);
CREATE INDEX thread_participants_member ON thread_participants (email_key);

CREATE TABLE thread_responses (
    id        INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    email     TEXT NOT NULL,
    email_key TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('answer', 'ack')),
    note      TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX thread_responses_thread ON thread_responses (thread_id, at);

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    what       TEXT NOT NULL,
    why        TEXT NOT NULL,
    owner      TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    thread_id  INTEGER REFERENCES threads (id) ON DELETE SET NULL,
    meeting    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX decisions_team_date ON decisions (team_id, decided_on);
CREATE INDEX decisions_thread ON decisions (thread_id);

-- +goose Down
DROP TABLE decisions;
DROP TABLE thread_responses;
DROP TABLE thread_participants;
DROP TABLE threads;
