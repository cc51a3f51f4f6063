package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestPlaybookRunAvoidsConnectedCalendars: playbook run --team plans with
// the same use case as the web and the API, so its live session moves off
// the time a member's connected calendar says they are busy.
func TestPlaybookRunAvoidsConnectedCalendars(t *testing.T) {
	var ics atomic.Value
	cal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, ics.Load().(string))
	}))
	defer cal.Close()
	dsn, _ := importRoster(t, fiveInFourRoster)
	run := []string{"playbook", "run", "async-prep-huddle", "--team", "Platform", "--db", dsn, "--date", nextMonday(), "--role", "owner=ana@example.com", "--json"}
	session := func() (start, end time.Time) {
		t.Helper()
		var plan struct {
			Sessions []struct{ Start, End time.Time }
		}
		code, out, errs := runCLI(t, "", run...)
		if code != 0 || json.Unmarshal([]byte(out), &plan) != nil || len(plan.Sessions) != 1 {
			t.Fatalf("playbook run: exit %d %s\n%s", code, errs, out)
		}
		return plan.Sessions[0].Start, plan.Sessions[0].End
	}
	start, end := session()

	const stamp = "20060102T150405Z"
	ics.Store(fmt.Sprintf("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:busy@test\r\nDTSTAMP:20260101T000000Z\r\n"+
		"DTSTART:%s\r\nDTEND:%s\r\nORGANIZER:mailto:someone@other.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		start.Add(-time.Hour).UTC().Format(stamp), end.Add(time.Hour).UTC().Format(stamp)))
	allow := "--calendar-allow-hosts=127.0.0.1"
	if code, _, errs := runCLI(t, "", "calendar", "add", "--db", dsn, allow, "--team", "Platform", "--member", "ana", "--ics-url", cal.URL+"/ana.ics"); code != 0 {
		t.Fatalf("calendar add: %s", errs)
	}
	if code, out, errs := runCLI(t, "", "calendar", "sync", "--db", dsn, allow, "--team", "Platform"); code != 0 {
		t.Fatalf("calendar sync: %s %s", out, errs)
	}
	if s, e := session(); s.Before(end.Add(time.Hour)) && start.Add(-time.Hour).Before(e) {
		t.Errorf("the session %s–%s overlaps Ana's busy time %s–%s", s, e, start.Add(-time.Hour), end.Add(time.Hour))
	}
}
