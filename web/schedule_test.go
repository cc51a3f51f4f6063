package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func TestAPIScheduleOneOff(t *testing.T) {
	f := newSQLiteFixture(t)
	body := `{"team":"Alpha","with":["member@example.com","ana@example.com"],"duration":"30m","between":["2026-03-02","2026-03-06"],"top":3}`
	w := f.request(t, "member", "POST", "/api/v1/schedule", strings.NewReader(body), jsonHeader)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res struct {
		Summary struct {
			Type, Kind string
			Slots      int
		}
		Slots []struct {
			Type      string
			Rank      int
			AllInside bool `json:"all_inside"`
			Attendees []struct {
				Email string
				Start string
			}
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Summary.Kind != "one-off" || len(res.Slots) != 3 || res.Slots[0].Rank != 1 || len(res.Slots[0].Attendees) != 2 {
		t.Fatalf("result = %s", w.Body)
	}
	// Kathmandu 09:00-17:00 and Lisbon 09:00-17:00 overlap from 09:00 Lisbon.
	if !res.Slots[0].AllInside || !strings.HasPrefix(res.Slots[0].Attendees[1].Start, "2026-03-02T09:00:00Z") {
		t.Errorf("best slot = %+v, want Monday 09:00 in Lisbon, inside", res.Slots[0])
	}
}

func TestAPIScheduleWeekly(t *testing.T) {
	f := newSQLiteFixture(t)
	body := `{"team":"Alpha","duration":"45m","between":["2026-03-02","2026-03-08"],"weekly":8,"zone":"Europe/Lisbon"}`
	w := f.request(t, "lead", "POST", "/api/v1/schedule", strings.NewReader(body), jsonHeader)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res struct {
		Summary struct {
			Kind    string
			Weeks   int
			Gini    *float64
			Members []struct{ Email string }
		}
		Instances []struct{ N int }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Summary.Kind != "series" || res.Summary.Weeks != 8 || len(res.Instances) != 8 || len(res.Summary.Members) != 3 || res.Summary.Gini == nil {
		t.Errorf("result = %s", w.Body)
	}
}

func TestAPIScheduleRefusals(t *testing.T) {
	f := newSQLiteFixture(t)
	tests := []struct {
		name, role, body string
		code             int
		want             string
	}{
		{"another team's lead", "lead of another team", `{"team":"Alpha","duration":"30m"}`, 403, "only a member of this team"},
		{"unknown team", "admin", `{"team":"Nope","duration":"30m"}`, 404, "not found"},
		{"no team", "member", `{"duration":"30m"}`, 400, "team is required"},
		{"zero duration", "member", `{"team":"Alpha","duration":"0s"}`, 400, "duration must be more than 0"},
		{"reversed window", "member", `{"team":"Alpha","duration":"30m","between":["2026-03-06","2026-03-02"]}`, 400, "between: the end"},
		{"unknown member", "member", `{"team":"Alpha","duration":"30m","with":["zed@example.com"]}`, 400, `with: "zed@example.com" is not on team Alpha`},
		{"unknown field", "member", `{"team":"Alpha","duration":"30m","hours":3}`, 400, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.request(t, tt.role, "POST", "/api/v1/schedule", strings.NewReader(tt.body), jsonHeader)
			var e apiError
			if w.Code != tt.code || json.Unmarshal(w.Body.Bytes(), &e) != nil || !strings.Contains(e.Error.Message, tt.want) {
				t.Errorf("status %d %s, want %d with %q", w.Code, w.Body, tt.code, tt.want)
			}
		})
	}
}

func TestAPIOverlap(t *testing.T) {
	f := newSQLiteFixture(t)
	w := f.request(t, "member", "GET", fmt.Sprintf("/api/v1/teams/%d/overlap?week=2026-03-02&zone=Asia/Kathmandu&with=member@example.com,ana@example.com", f.teamA.ID), nil, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var h struct {
		Zone        string
		Start       string
		StepMinutes int `json:"step_minutes"`
		Members     []struct {
			Email     string
			Working   []struct{ Start, End string }
			Available []struct{ Start, End string }
		}
		Counts []int
		Golden []struct{ Start, End string }
		Pairs  []struct {
			A, B  string
			Hours float64
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	if h.Zone != "Asia/Kathmandu" || h.Start != "2026-03-02T00:00:00+05:45" || h.StepMinutes != 15 || len(h.Counts) != 672 || len(h.Members) != 2 {
		t.Fatalf("heat map = zone %s, start %s, step %d, %d slots, %d members", h.Zone, h.Start, h.StepMinutes, len(h.Counts), len(h.Members))
	}
	// Kathmandu 09:00-17:00 (03:15-11:15 UTC) and Lisbon 09:00-17:00
	// (09:00-17:00 UTC) share 2h15m a day, four days (not Wednesday).
	if len(h.Pairs) != 1 || h.Pairs[0].Hours != 9 || len(h.Golden) != 4 {
		t.Errorf("pairs %+v, %d golden windows; want 9 hours over 4 windows", h.Pairs, len(h.Golden))
	}
	for _, bad := range []string{"?zone=Mars/Base", "?week=2026-13-01", "?with=nobody"} {
		w := f.request(t, "member", "GET", fmt.Sprintf("/api/v1/teams/%d/overlap%s", f.teamA.ID, bad), nil, nil)
		if w.Code != http.StatusBadRequest {
			t.Errorf("overlap%s = %d %s, want 400", bad, w.Code, w.Body)
		}
	}
	if w := f.request(t, "lead of another team", "GET", fmt.Sprintf("/api/v1/teams/%d/overlap", f.teamA.ID), nil, nil); w.Code != http.StatusForbidden {
		t.Errorf("another team's lead = %d, want 403", w.Code)
	}
}

func TestOverlapAndFinderPages(t *testing.T) {
	f := newSQLiteFixture(t)
	tests := []struct {
		name, target string
		code         int
		want         []string
	}{
		{"heat map in the viewer's zone", fmt.Sprintf("/teams/%d/overlap?week=2026-03-02", f.teamA.ID), 200,
			[]string{`id="heatmap"`, `id="heat-zone">Asia/Kathmandu<`, "Mia Member", "Golden hours", "Mon 2"}},
		{"heat map in another zone", fmt.Sprintf("/teams/%d/overlap?week=2026-03-02&zone=America/St_Johns", f.teamA.ID), 200,
			[]string{`id="heat-zone">America/St_Johns<`, "<option selected>America/St_Johns</option>"}},
		{"bad zone", fmt.Sprintf("/teams/%d/overlap?zone=Nowhere", f.teamA.ID), 400, []string{`id="form-error"`, "unknown time zone"}},
		{"empty finder", fmt.Sprintf("/teams/%d/schedule", f.teamA.ID), 200, []string{`id="finder"`, `value="30m"`}},
		{"one-off proposal", fmt.Sprintf("/teams/%d/schedule?duration=30m&from=2026-03-02&to=2026-03-06&zone=UTC", f.teamA.ID), 200,
			[]string{`id="proposal"`, `id="slots"`, "The best 5 of"}},
		{"weekly proposal", fmt.Sprintf("/teams/%d/schedule?duration=30m&from=2026-03-02&to=2026-03-08&weekly=6&zone=UTC", f.teamA.ID), 200,
			[]string{`id="fairness"`, "Gini index", `id="rotation"`}},
		{"bad duration", fmt.Sprintf("/teams/%d/schedule?duration=25h", f.teamA.ID), 400, []string{`id="form-error"`, "duration must be more than 0 and at most 24h"}},
		{"half a window", fmt.Sprintf("/teams/%d/schedule?duration=30m&from=2026-03-02", f.teamA.ID), 400, []string{"give both a first and a last day"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.request(t, "member", "GET", tt.target, nil, nil)
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.code, w.Body)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
}

func TestScheduleICSDownload(t *testing.T) {
	f := newSQLiteFixture(t)
	q := "duration=30m&from=2026-03-02&to=2026-03-08&weekly=6&zone=Europe/Lisbon"
	w := f.request(t, "member", "GET", fmt.Sprintf("/teams/%d/schedule.ics?%s", f.teamA.ID, q), nil, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	body := strings.ReplaceAll(w.Body.String(), "\r\n ", "") // unfold lines
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("content type %q, want text/calendar", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="alpha-sync.ics"` {
		t.Errorf("content disposition %q", cd)
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VTIMEZONE", "TZID:Europe/Lisbon", "RRULE:FREQ=WEEKLY", "SUMMARY:Alpha sync", "mailto:member@example.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("calendar lacks %q:\n%s", want, body)
		}
	}
	if w := f.request(t, "member", "GET", fmt.Sprintf("/teams/%d/schedule.ics?duration=0s", f.teamA.ID), nil, nil); w.Code != http.StatusBadRequest {
		t.Errorf("bad duration = %d, want 400", w.Code)
	}
	// The finder page links to the download.
	w = f.request(t, "member", "GET", fmt.Sprintf("/teams/%d/schedule?%s", f.teamA.ID, q), nil, nil)
	if !strings.Contains(w.Body.String(), `id="ics-download"`) {
		t.Error("the finder page has no download link")
	}
}

func TestAPIScheduleAsCalendar(t *testing.T) {
	f := newSQLiteFixture(t)
	body := `{"team":"Alpha","duration":"30m","between":["2026-03-02","2026-03-08"],"weekly":4}`
	w := f.request(t, "member", "POST", "/api/v1/schedule", strings.NewReader(body), map[string]string{"Content-Type": "application/json", "Accept": "text/calendar"})
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "BEGIN:VCALENDAR") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/calendar") {
		t.Errorf("status %d, type %q, body %.200s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}

// TestFinderWithoutZoneUsesTheZoneItShows: a finder address without zone=
// proposes in the zone the form shows selected (the viewer's, else UTC),
// not in the first member's zone while the form says another.
func TestFinderWithoutZoneUsesTheZoneItShows(t *testing.T) {
	f := newSQLiteFixture(t)
	w := f.request(t, "admin", "GET", fmt.Sprintf("/teams/%d/schedule?duration=30m&from=2026-03-02&to=2026-03-08&weekly=4", f.teamA.ID), nil, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	for _, want := range []string{"<option selected>UTC</option>", "(UTC wall time)", "zone=UTC", `id="when-zone">UTC<`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
