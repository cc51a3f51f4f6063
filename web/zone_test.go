package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/pulse"
)

// setZone stores the zone of the user with email, as the account page does.
func (f *fixture) setZone(t *testing.T, email, zone string) {
	t.Helper()
	u, _, err := f.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetUserZone(context.Background(), u.ID, zone); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) storedZone(t *testing.T, email string) string {
	t.Helper()
	u, _, err := f.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Zone
}

// TestAccountPageSetsZone: the account page shows the roster zone by
// default, stores a zone, and refuses a name that is not a zone next to the
// field, storing nothing.
func TestAccountPageSetsZone(t *testing.T) {
	f := newSQLiteFixture(t)
	w := f.request(t, "member", "GET", "/account", nil, nil)
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, "<strong>Asia/Kathmandu</strong> (your roster zone)") {
		t.Fatalf("account page = %d, want the roster zone Asia/Kathmandu named:\n%s", w.Code, body)
	}

	w = f.form(t, "member", "/account/zone", url.Values{"zone": {"Europe/Berlin"}}, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Times are now read and shown in Europe/Berlin.") || !strings.Contains(w.Body.String(), "<strong>Europe/Berlin</strong>.") {
		t.Fatalf("setting Europe/Berlin = %d:\n%s", w.Code, w.Body)
	}
	if got := f.storedZone(t, "member@example.com"); got != "Europe/Berlin" {
		t.Fatalf("stored zone %q, want Europe/Berlin", got)
	}

	for _, bad := range []string{"Europe/Berlinn", "CEST", "Local"} {
		t.Run(bad, func(t *testing.T) {
			w := f.form(t, "member", "/account/zone", url.Values{"zone": {bad}}, nil)
			body := w.Body.String()
			if w.Code != http.StatusBadRequest {
				t.Errorf("zone %q = %d, want 400", bad, w.Code)
			}
			field := strings.Index(body, `id="zone" name="zone"`)
			msg := strings.Index(body, `<p class="error" role="alert" id="zone-error">zone: `)
			if field < 0 || msg < field {
				t.Errorf("the refusal is not right after the zone field:\n%s", body)
			}
			if !strings.Contains(body, fmt.Sprintf(`value="%s"`, bad)) {
				t.Errorf("the field lost what was typed (%q)", bad)
			}
			if got := f.storedZone(t, "member@example.com"); got != "Europe/Berlin" {
				t.Errorf("after a refused %q the stored zone is %q, want Europe/Berlin", bad, got)
			}
		})
	}
}

// TestAPIMeZone: GET /api/v1/me names the zone and where it comes from;
// PATCH sets it, refuses a bad one unchanged, and "" goes back to the
// roster zone.
func TestAPIMeZone(t *testing.T) {
	f := newSQLiteFixture(t)
	type me struct {
		Email, Zone string
		Source      string `json:"zone_source"`
	}
	var got me
	f.call(t, "member", "GET", "/api/v1/me", "", 200, &got)
	if got != (me{"member@example.com", "Asia/Kathmandu", "roster"}) {
		t.Errorf("member = %+v, want the roster zone", got)
	}
	f.call(t, "admin", "GET", "/api/v1/me", "", 200, &got)
	if got != (me{"admin@example.com", "UTC", "default"}) {
		t.Errorf("admin on no roster = %+v, want UTC by default", got)
	}
	f.call(t, "member", "PATCH", "/api/v1/me", `{"zone":"Europe/Berlin"}`, 200, &got)
	if got.Zone != "Europe/Berlin" || got.Source != "account" {
		t.Errorf("after PATCH = %+v, want Europe/Berlin from the account", got)
	}
	w := f.request(t, "member", "PATCH", "/api/v1/me", strings.NewReader(`{"zone":"Mars/Base"}`), map[string]string{"Content-Type": "application/json"})
	if w.Code != 400 || !strings.Contains(w.Body.String(), `unknown time zone \"Mars/Base\"`) {
		t.Errorf("bad zone = %d %s, want 400 naming it", w.Code, w.Body)
	}
	if z := f.storedZone(t, "member@example.com"); z != "Europe/Berlin" {
		t.Errorf("a refused PATCH changed the zone to %q", z)
	}
	f.call(t, "member", "PATCH", "/api/v1/me", `{"zone":""}`, 200, &got)
	if got.Zone != "Asia/Kathmandu" || got.Source != "roster" {
		t.Errorf("after clearing = %+v, want the roster zone", got)
	}
}

// TestBerlinWallTimeIsStoredAsItsInstant: a Berlin user's typed wall time
// (form and API) is stored as the UTC instant it is in Berlin, on both
// sides of the March clock change; RFC 3339 with an offset keeps it.
func TestBerlinWallTimeIsStoredAsItsInstant(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	f.setZone(t, "member@example.com", "Europe/Berlin") // on Alpha's roster in Asia/Kathmandu
	base := fmt.Sprintf("/teams/%d/threads", f.teamA.ID)
	api := "/api/v1" + base
	for _, tc := range []struct {
		name, how, typed string
		want             time.Time
	}{
		{"form, winter (UTC+1)", "form", "2026-03-10T17:00", time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)},
		{"form, summer (UTC+2)", "form", "2026-04-07T17:00", time.Date(2026, 4, 7, 15, 0, 0, 0, time.UTC)},
		{"API, wall time", "api", "2026-03-10T17:00", time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)},
		{"API, wall time with a space and seconds", "api", "2026-03-10 17:00:30", time.Date(2026, 3, 10, 16, 0, 30, 0, time.UTC)},
		{"API, RFC 3339 keeps its offset", "api", "2026-03-10T17:00:00+09:00", time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)},
		{"API, a wall time the clock change skips moves forward", "api", "2026-03-29T02:30", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title := "T " + tc.name
			if tc.how == "form" {
				w := f.form(t, "member", base, url.Values{"title": {title}, "owner": {"member@example.com"}, "participants": {"ana@example.com"}, "due_by": {tc.typed}}, nil)
				if w.Code != http.StatusSeeOther {
					t.Fatalf("form = %d:\n%s", w.Code, w.Body)
				}
			} else {
				f.call(t, "member", "POST", api, fmt.Sprintf(`{"title":%q,"owner":"member@example.com","participants":["ana@example.com"],"due_by":%q}`, title, tc.typed), http.StatusCreated, nil)
			}
			var list struct{ Threads []app.ThreadView }
			f.call(t, "member", "GET", api, "", 200, &list)
			for _, th := range list.Threads {
				if th.Title == title {
					if !th.DueBy.Equal(tc.want) {
						t.Errorf("due by %s typed as %q, want %s", th.DueBy.UTC(), tc.typed, tc.want)
					}
					return
				}
			}
			t.Fatalf("thread %q not found", title)
		})
	}
	w := f.request(t, "member", "POST", api, strings.NewReader(`{"title":"x","owner":"member@example.com","due_by":"10/03/2026 17:00"}`), map[string]string{"Content-Type": "application/json"})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "due_by: ") || !strings.Contains(w.Body.String(), "read in Europe/Berlin") {
		t.Errorf("a malformed due_by = %d %s, want 400 naming the field and the zone", w.Code, w.Body)
	}
}

// TestPulseRoundDatesInUserZone: round dates are the user's days: opening
// at their midnight, closing at the end of their closing day.
func TestPulseRoundDatesInUserZone(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	f.setZone(t, "lead@example.com", "Europe/Berlin")
	var rd pulse.Round
	f.call(t, "lead", "POST", fmt.Sprintf("/api/v1/teams/%d/pulse/rounds", f.teamA.ID), `{"opens":"2026-03-09","closes":"2026-03-16"}`, http.StatusCreated, &rd)
	if want := time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC); !rd.Opens.Equal(want) {
		t.Errorf("opens %s, want Berlin's midnight %s", rd.Opens.UTC(), want)
	}
	if want := time.Date(2026, 3, 16, 23, 0, 0, 0, time.UTC); !rd.Closes.Equal(want) {
		t.Errorf("closes %s, want the end of Berlin's 16 March, %s", rd.Closes.UTC(), want)
	}
	w := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/pulse", f.teamA.ID), nil, nil)
	if body := w.Body.String(); !strings.Contains(body, "Mon 9 Mar 00:00 Europe/Berlin") || !strings.Contains(body, "Opens (date, Europe/Berlin)") {
		t.Errorf("the pulse page does not show the round on the lead's Berlin clock:\n%s", body)
	}
}

// TestScheduleBetweenInUserZone: a schedule window without a zone is read
// in the requester's zone, and the answer names it.
func TestScheduleBetweenInUserZone(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	f.setZone(t, "member@example.com", "Europe/Berlin")
	var res struct {
		Summary struct{ Zone string }
		Slots   []struct{ Start time.Time }
	}
	f.call(t, "member", "POST", "/api/v1/schedule", fmt.Sprintf(`{"team":"%d","duration":"30m","between":["2026-03-10T09:00","2026-03-10T12:00"]}`, f.teamA.ID), 200, &res)
	if res.Summary.Zone != "Europe/Berlin" {
		t.Errorf("zone %q, want the requester's Europe/Berlin", res.Summary.Zone)
	}
	from, to := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	if len(res.Slots) == 0 {
		t.Fatal("no slots")
	}
	for _, s := range res.Slots {
		if s.Start.Before(from) || s.Start.After(to) {
			t.Errorf("slot %s outside 09:00–12:00 Berlin (%s–%s)", s.Start.UTC(), from, to)
		}
	}
}

// TestPagesNameTheUserZone: the thread pages print times in the user's
// zone with its name; each member's own clock stays as it is.
func TestPagesNameTheUserZone(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	f.setZone(t, "member@example.com", "Europe/Berlin")
	var th app.ThreadView
	f.call(t, "member", "POST", fmt.Sprintf("/api/v1/teams/%d/threads", f.teamA.ID), `{"title":"Q2","owner":"member@example.com","participants":["ana@example.com"],"due_by":"2026-03-10T16:00:00Z"}`, http.StatusCreated, &th)
	for _, page := range []string{fmt.Sprintf("/teams/%d/threads", f.teamA.ID), threadURL(f.teamA.ID, th.ID)} {
		body := f.request(t, "member", "GET", page, nil, nil).Body.String()
		if !strings.Contains(body, "Tue 10 Mar 17:00 Europe/Berlin") {
			t.Errorf("%s does not show the due-by as Tue 10 Mar 17:00 Europe/Berlin:\n%s", page, body)
		}
	}
	// Ana's own clock (Lisbon) on "everyone's clock" is unchanged.
	body := f.request(t, "member", "GET", threadURL(f.teamA.ID, th.ID), nil, nil).Body.String()
	if !strings.Contains(body, "Ana Silva: Tue 10 Mar 16:00 <span class=\"muted\">Europe/Lisbon</span>") {
		t.Errorf("the thread page lost Ana's own clock:\n%s", body)
	}
	// Someone on no roster and without a zone sees UTC, named.
	body = f.request(t, "admin", "GET", threadURL(f.teamA.ID, th.ID), nil, nil).Body.String()
	if !strings.Contains(body, "Tue 10 Mar 16:00 UTC") {
		t.Errorf("the admin's page does not show UTC, named:\n%s", body)
	}
}

// TestOverlapAPIDefaultsToUserZone: without ?zone the heat map is in the
// requester's zone, and the answer says which and why.
func TestOverlapAPIDefaultsToUserZone(t *testing.T) {
	f := newSQLiteFixture(t)
	target := fmt.Sprintf("/api/v1/teams/%d/overlap", f.teamA.ID)
	type answer struct {
		Zone   string
		Source string `json:"zone_source"`
	}
	for _, tc := range []struct {
		name, role, query string
		set               string
		want              answer
	}{
		{"a member: their roster zone", "member", "", "", answer{"Asia/Kathmandu", "roster"}},
		{"an admin on no roster: UTC", "admin", "", "", answer{"UTC", "default"}},
		{"the zone chosen on the account page", "lead", "", "Europe/Berlin", answer{"Europe/Berlin", "account"}},
		{"?zone wins", "lead", "?zone=Europe/Lisbon", "", answer{"Europe/Lisbon", "query"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.set != "" {
				f.setZone(t, tc.role+"@example.com", tc.set)
			}
			w := f.request(t, tc.role, "GET", target+tc.query, nil, nil)
			var got answer
			if err := json.Unmarshal(w.Body.Bytes(), &got); w.Code != 200 || err != nil {
				t.Fatalf("GET = %d %s", w.Code, w.Body)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestLintAPIReadsUserZone: a planned start without an offset is read in
// the requester's zone, and the findings give times in it, named.
func TestLintAPIReadsUserZone(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setZone(t, "member@example.com", "Europe/Berlin")
	var res struct {
		Findings []struct{ Rule, Message string }
	}
	// Wednesday 11 March is Alpha's no-meeting day in every zone here.
	f.call(t, "member", "POST", fmt.Sprintf("/api/v1/teams/%d/lint", f.teamA.ID),
		`{"title":"Sync","start":"2026-03-11 10:00","duration":"30m","organizer":"lead@example.com","agenda":"Purpose: settle the launch date"}`, http.StatusOK, &res)
	var msgs []string
	for _, fd := range res.Findings {
		msgs = append(msgs, fd.Message)
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "2026-03-11 10:00 Europe/Berlin") {
		t.Errorf("findings do not give the start as 2026-03-11 10:00 Europe/Berlin:\n%s", all)
	}
}
