-- +goose Up
-- A round created to hold one file of answers imported from another tool.
-- Imported answers never go into a round whose answers rhythm collects.
ALTER TABLE pulse_rounds ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE pulse_rounds DROP COLUMN imported;
