-- +goose Up
-- Saved audit results. report holds the group report (JSON), which names
-- nobody; audit_people holds each member's own figures, shown only to them.
CREATE TABLE audits (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    report     TEXT NOT NULL
);
CREATE INDEX audits_team ON audits (team_id, id);

CREATE TABLE audit_people (
    audit_id  INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    email_key TEXT NOT NULL,
    figures   TEXT NOT NULL,
    PRIMARY KEY (audit_id, email_key)
);
CREATE INDEX audit_people_email ON audit_people (email_key);

-- +goose Down
DROP TABLE audit_people;
DROP TABLE audits;
