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

// wallLayouts are the times without an offset a person may type.
var wallLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// ParseTyped reads a time a person typed into field: RFC 3339 keeps its
// offset; a wall time (YYYY-MM-DDTHH:MM, seconds optional, T or a space)
// is read in loc. A wall time a DST change skips moves forward by the gap;
// one it repeats is the first. The result is in UTC.
func ParseTyped(field, v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range wallLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			at := team.LocalTime(team.DateOf(t), t.Hour()*60+t.Minute(), loc).Add(time.Duration(t.Second()) * time.Second)
			return at.UTC(), nil
		}
	}
	return time.Time{}, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a time such as 2026-03-10T17:00 (read in %s) or 2026-03-10T17:00:00+01:00", field, v, loc)
}
