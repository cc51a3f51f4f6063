-- +goose Up
-- What reading each calendar resource left out or read doubtfully at its
-- last read: a count and the first few warnings in words (a JSON array),
-- which name the resource, line and event UID, never what an event says.
-- A connection's warnings are those of its resources.
ALTER TABLE calendar_objects ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calendar_objects ADD COLUMN warning_notes TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE calendar_objects DROP COLUMN warning_notes;
ALTER TABLE calendar_objects DROP COLUMN warnings;
