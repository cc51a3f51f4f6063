-- +goose Up
CREATE TABLE pulse_surveys (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    items      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE pulse_rounds (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES pulse_surveys (id),
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    opens      INTEGER NOT NULL,
    closes     INTEGER NOT NULL,
    responses  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX pulse_rounds_team ON pulse_rounds (team_id, opens);

-- Anonymous answers: no id, no person, no time. Every write rewrites a
-- round's rows in content order, so neither row order nor row ids tell
-- who answered when.
CREATE TABLE pulse_responses (
    round_id INTEGER NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    answers  TEXT NOT NULL
);
CREATE INDEX pulse_responses_round ON pulse_responses (round_id);

-- Who has answered a round, to refuse a second answer. Nothing here
-- points at a response.
CREATE TABLE pulse_answered (
    round_id  INTEGER NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, member_id)
) WITHOUT ROWID;

-- Files of responses imported from other tools, so an import runs once.
CREATE TABLE pulse_imports (
    round_id INTEGER NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (round_id, sha256)
);

-- The default survey.
INSERT INTO pulse_surveys (id, title, items, created_at) VALUES (1, 'Team pulse',
 '[{"key":"enps","kind":"enps","text":"How likely are you to recommend this team as a place to work?"},{"key":"connected","kind":"likert","text":"I feel connected to my team."},{"key":"uninterrupted_time","kind":"likert","text":"I have enough uninterrupted time to do my best work."},{"key":"meetings_worthwhile","kind":"likert","text":"Our meetings are a good use of time."}]',
 0);

-- +goose Down
DROP TABLE pulse_imports;
DROP TABLE pulse_answered;
DROP TABLE pulse_responses;
DROP TABLE pulse_rounds;
DROP TABLE pulse_surveys;
