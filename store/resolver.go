package store

import (
	"context"
	"strconv"

	"github.com/rhythm-team/rhythm/ingest"
)

// Resolver returns the identity resolver of a team: its roster and the
// database's pseudonym key, for reading imported or synced data.
func (db *DB) Resolver(ctx context.Context, teamID int64) (*ingest.Resolver, error) {
	t, err := db.Team(ctx, strconv.FormatInt(teamID, 10))
	if err != nil {
		return nil, err
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		return nil, err
	}
	return ingest.NewResolver(&t, key)
}
