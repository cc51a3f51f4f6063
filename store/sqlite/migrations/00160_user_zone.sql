-- +goose Up
-- The IANA zone a user reads and types times in on the web and the API;
-- empty means their roster zone (else UTC).
ALTER TABLE users ADD COLUMN zone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN zone;
