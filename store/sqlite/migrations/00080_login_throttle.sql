-- +goose Up
-- Sign-in attempts per key (an address, an account at an address, an
-- account): failures so far and the time of the last attempt, from which
-- the backoff before the next attempt is computed. An attempt is counted
-- before its password is checked, so parallel guesses cannot overtake it.
CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  BIGINT NOT NULL -- milliseconds since 1970 (UTC)
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
DROP TABLE login_failures;

-- +goose Down
DROP TABLE login_throttle;
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
