package app

import (
	"context"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// The time rule of the web, the API and the Slack app: a time a person
// types without an offset is read in their zone, and every time shown to
// them is in that zone and names it. Their zone is the one chosen on the
// account page, else the zone of their roster entry (the first team that
// lists their email), else UTC. The command line has its own --tz.

// Zone is an actor's zone and where it comes from.
type Zone struct {
	// Name is the IANA name, e.g. "Europe/Berlin".
	Name string `json:"zone"`
	// Source is "account" (chosen on the account page), "roster" (the
	// roster entry with the user's email) or "default" (UTC).
	Source string `json:"zone_source"`
	loc    *time.Location
}

// Location returns the zone to convert times with (UTC when unset).
func (z Zone) Location() *time.Location {
	if z.loc == nil {
		return time.UTC
	}
	return z.loc
}

// utcZone is the zone of someone without one.
var utcZone = Zone{Name: "UTC", Source: "default", loc: time.UTC}

// ZoneOf returns who's zone. Anyone may ask: nobody signed in is in UTC.
// A stored zone the machine no longer knows falls back like an unset one.
func (a *App) ZoneOf(ctx context.Context, who Actor) (Zone, error) {
	if !who.SignedIn() {
		return utcZone, nil
	}
	if name := who.User.Zone; name != "" {
		if loc, err := team.LoadZone(name); err == nil {
			return Zone{Name: name, Source: "account", loc: loc}, nil
		}
	}
	email := who.User.Email
	if email == "" {
		email = who.Email
	}
	name, err := a.db.RosterZone(ctx, email)
	if err != nil || name == "" {
		return utcZone, err
	}
	loc, err := team.LoadZone(name)
	if err != nil {
		return utcZone, nil
	}
	return Zone{Name: name, Source: "roster", loc: loc}, nil
}

// SetZone stores the zone who reads times in: an IANA name, or "" to go
// back to the roster zone. Any signed-in user, for their own account; the
// command line has no account (it has --tz). A name that is not a zone is
// EINVALID and stores nothing.
func (a *App) SetZone(ctx context.Context, who Actor, name string) (Zone, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return Zone{}, err
	}
	if who.User.ID == 0 {
		return Zone{}, rhythm.Errorf(rhythm.EINVALID, "zone: the command line has no account zone; use --tz")
	}
	name = strings.TrimSpace(name)
	if name != "" {
		if _, err := team.LoadZone(name); err != nil {
			return Zone{}, rhythm.Errorf(rhythm.EINVALID, "zone: %s", rhythm.ErrorMessage(err))
		}
	}
	if err := a.db.SetUserZone(ctx, who.User.ID, name); err != nil {
		return Zone{}, err
	}
	who.User.Zone = name
	return a.ZoneOf(ctx, who)
}
