package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/team"
)

// The time rule on the web and the API (app.ZoneOf): a time a person types
// without an offset is read in their zone; every time shown names a zone.

// zone returns the zone of the requester: chosen on the account page, else
// their roster zone, else UTC. A failed look-up is UTC (and logged).
func (s *Server) zone(r *http.Request) app.Zone {
	z, err := s.app.ZoneOf(r.Context(), s.actor(r))
	if err != nil {
		s.log.Error("zone look-up failed", "request_id", requestID(r), "err", err)
	}
	return z
}

// wallLayouts are the times without an offset a person may type.
var wallLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// parseTyped reads a time a person typed into field: RFC 3339 keeps its
// offset; a wall time (YYYY-MM-DDTHH:MM, seconds optional) is read in loc.
// A wall time a DST change skips moves forward by the gap; one it repeats
// is the first. The result is in UTC.
func parseTyped(field, v string, loc *time.Location) (time.Time, error) {
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

// typedDue turns a due_by a person typed without an offset into RFC 3339
// read in loc; empty and RFC 3339 values pass unchanged (the use case
// checks them).
func typedDue(field, v string, loc *time.Location) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if _, err := time.Parse(time.RFC3339, v); err == nil {
		return v, nil
	}
	t, err := parseTyped(field, v, loc)
	if err != nil {
		return "", err
	}
	return t.Format(time.RFC3339), nil
}

// stamp formats an instant in zone z, naming it: "Tue 10 Mar 17:00
// Europe/Berlin".
func stamp(t time.Time, z *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(z).Format("Mon 2 Jan 15:04 ") + z.String()
}
