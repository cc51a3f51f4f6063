-- +goose Up
-- A chat message is stored once per team, however many exports hold it:
-- its ext_id is the channel and the message's ts. Copies stored before
-- this migration are removed, keeping the first.
DELETE FROM interactions
WHERE kind IN ('message', 'reply') AND ext_id <> '' AND id NOT IN (
    SELECT MIN(id) FROM interactions
    WHERE kind IN ('message', 'reply') AND ext_id <> ''
    GROUP BY team_id, source, ext_id
);
CREATE UNIQUE INDEX interactions_chat_once ON interactions (team_id, source, ext_id)
    WHERE kind IN ('message', 'reply') AND ext_id <> '';

-- +goose Down
DROP INDEX interactions_chat_once;
