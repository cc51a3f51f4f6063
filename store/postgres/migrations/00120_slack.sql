-- +goose Up
-- A team's Slack link: the workspace it talks in and the channels whose
-- messages are its chat. Only IDs and channel names; never message text.
ALTER TABLE teams ADD COLUMN slack_workspace TEXT NOT NULL DEFAULT '';
CREATE TABLE slack_channels (
    team_id   BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    workspace TEXT NOT NULL,
    channel   TEXT NOT NULL,
    name      TEXT NOT NULL,
    position  BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel)
);
CREATE INDEX slack_channels_by_channel ON slack_channels (workspace, channel);
CREATE INDEX teams_slack_workspace ON teams (slack_workspace);

-- +goose Down
DROP INDEX teams_slack_workspace;
DROP TABLE slack_channels;
ALTER TABLE teams DROP COLUMN slack_workspace;
