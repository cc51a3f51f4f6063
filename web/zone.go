package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/app"
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
	t, err := app.ParseTyped(field, v, loc)
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
