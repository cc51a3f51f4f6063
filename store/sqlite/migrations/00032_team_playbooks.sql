-- +goose Up
CREATE TABLE team_playbooks (
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    yaml       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, name)
);

-- +goose Down
DROP TABLE team_playbooks;
