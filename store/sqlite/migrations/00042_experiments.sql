-- +goose Up
CREATE TABLE experiments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    created_by  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    assigned_at INTEGER NOT NULL DEFAULT 0
);

-- The teams an experiment involves (its team units, or the teams of its
-- person units), for deciding who may see it.
CREATE TABLE experiment_teams (
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    team_id       INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (experiment_id, team_id)
);
CREATE INDEX experiment_teams_team ON experiment_teams (team_id);

CREATE TABLE experiment_assignments (
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    unit          TEXT NOT NULL,
    unit_key      TEXT NOT NULL,
    arm           TEXT NOT NULL,
    stratum       TEXT NOT NULL,
    PRIMARY KEY (experiment_id, unit_key)
);

-- +goose Down
DROP TABLE experiment_assignments;
DROP TABLE experiment_teams;
DROP TABLE experiments;
