package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
)

// TestAPICalendars: a member connects their own calendar link through the
// API, syncs it and sees its state; the link never comes back; a member
// cannot connect a team calendar; the lead sees both.
func TestAPICalendars(t *testing.T) {
	f := newSQLiteFixture(t)
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%sT100000Z\r\nDURATION:PT1H\r\n" +
		"ATTENDEE:mailto:member@example.com\r\nATTENDEE:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	cal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, ics, f.srv.now().Format("20060102"))
	}))
	defer cal.Close()
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f.srv.app.WithCalendars(app.CalendarConfig{Box: box, Policy: outbound.Policy{Allow: []string{"127.0.0.1"}}})
	base := fmt.Sprintf("/api/v1/teams/%d/calendars", f.teamA.ID)
	json200 := map[string]string{"Content-Type": "application/json"}

	link := cal.URL + "/private-s3cr3t-link/basic.ics"
	w := f.request(t, "member", http.MethodPost, base, strings.NewReader(`{"ics_url":"`+link+`"}`), json200)
	if w.Code != http.StatusCreated || strings.Contains(w.Body.String(), "s3cr3t") {
		t.Fatalf("connect: %d %s", w.Code, w.Body)
	}
	var v struct {
		ID     int64  `json:"id"`
		Member string `json:"member"`
		State  string `json:"state"`
		Events int    `json:"events"`
	}
	json.Unmarshal(w.Body.Bytes(), &v)
	if v.Member != "member@example.com" || v.State != "not synced yet" {
		t.Fatalf("connected: %+v", v)
	}
	w = f.request(t, "member", http.MethodPost, fmt.Sprintf("%s/%d/sync", base, v.ID), nil, nil)
	json.Unmarshal(w.Body.Bytes(), &v)
	if w.Code != http.StatusOK || v.State != "synced, 1 event" || v.Events != 1 {
		t.Fatalf("sync: %d %s", w.Code, w.Body)
	}
	if w := f.request(t, "member", http.MethodPost, base, strings.NewReader(`{"team":true,"ics_url":"https://calendar.example.com/room.ics"}`), json200); w.Code != http.StatusForbidden {
		t.Fatalf("a member connecting a team calendar: %d %s", w.Code, w.Body)
	}
	if w := f.request(t, "lead", http.MethodPost, base, strings.NewReader(`{"team":true,"ics_url":"https://10.1.2.3/room.ics"}`), json200); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "private address") {
		t.Fatalf("a private address: %d %s", w.Code, w.Body)
	}
	if w := f.request(t, "lead", http.MethodPost, base, strings.NewReader(`{"team":true,"ics_url":"https://calendar.example.com/room.ics"}`), json200); w.Code != http.StatusCreated {
		t.Fatalf("a lead connecting a team calendar: %d %s", w.Code, w.Body)
	}
	count := func(role string) int {
		w := f.request(t, role, http.MethodGet, base, nil, nil)
		body, _ := io.ReadAll(w.Body)
		if strings.Contains(string(body), "s3cr3t") || strings.Contains(string(body), "sealed") {
			t.Fatalf("the list shows a credential: %s", body)
		}
		var out struct{ Calendars []json.RawMessage }
		json.Unmarshal(body, &out)
		return len(out.Calendars)
	}
	if m, l := count("member"), count("lead"); m != 1 || l != 2 {
		t.Fatalf("member sees %d, lead sees %d; want 1 and 2", m, l)
	}
	if w := f.request(t, "lead of another team", http.MethodDelete, fmt.Sprintf("%s/%d", base, v.ID), nil, nil); w.Code != http.StatusForbidden {
		t.Fatalf("another team's lead removing: %d", w.Code)
	}
	if w := f.request(t, "member", http.MethodDelete, fmt.Sprintf("%s/%d", base, v.ID), nil, nil); w.Code != http.StatusNoContent {
		t.Fatalf("the member removing their own: %d %s", w.Code, w.Body)
	}
}

// TestCalendarWarningsShown: the warnings of a connection's last sync are
// in its state and its JSON on the API, and listed on the Calendars page.
func TestCalendarWarningsShown(t *testing.T) {
	f := newSQLiteFixture(t)
	ctx := context.Background()
	rec, err := f.db.CreateCalendarConnection(ctx, calendar.Record{TeamID: f.teamA.ID, Member: "member@example.com", Kind: calendar.ICS, Host: "calendar.example.com", URLSealed: "v1:x"})
	if err != nil {
		t.Fatal(err)
	}
	now := f.db.Now()
	if _, err := f.db.ClaimCalendarSync(ctx, "t", rec.ID, now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	dense := `calendar link:19: event "bad2": more than 50000 instances in the window; recurrence rule too dense to expand; event skipped`
	zone := `calendar link:30: event "z": unknown time zone "Mars/Olympus"; reading its times in UTC`
	res := &calendar.Result{Full: true, Replace: []calendar.Object{{Key: "", Warnings: 3, Notes: []string{dense, zone}}}}
	if err := f.db.FinishCalendarSync(ctx, rec.ID, "t", calendar.Outcome{Result: res, At: now, Next: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	w := f.request(t, "member", http.MethodGet, fmt.Sprintf("/api/v1/teams/%d/calendars", f.teamA.ID), nil, nil)
	var got struct {
		Calendars []struct {
			State        string   `json:"state"`
			Warnings     int      `json:"warnings"`
			WarningNotes []string `json:"warning_notes"`
		}
	}
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || len(got.Calendars) != 1 {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	c := got.Calendars[0]
	if c.State != "synced, 0 events; 3 warnings: "+dense || c.Warnings != 3 || len(c.WarningNotes) != 2 || c.WarningNotes[1] != zone {
		t.Errorf("the API says %+v, want 3 warnings, the first in the state", c)
	}
	page := f.request(t, "member", http.MethodGet, fmt.Sprintf("/teams/%d/calendars", f.teamA.ID), nil, nil).Body.String()
	for _, want := range []string{"3 warnings: " + html.EscapeString(dense), "<li>" + html.EscapeString(zone) + "</li>", "<li>… 1 more</li>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Calendars page lacks %q:\n%s", want, page)
		}
	}
}
