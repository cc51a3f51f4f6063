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

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// auditRoster is team Alpha grown to six people, so that its group
// figures pass the default threshold of five.
const auditRoster = `team: Alpha
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday}
members:
  - {name: Mia Member, email: member@example.com, zone: Asia/Kathmandu, hours: "09:00-17:00"}
  - {name: Leo Lead, email: lead@example.com, zone: America/St_Johns}
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo}
  - {name: Zoe Park, email: zoe@example.com, zone: Australia/Sydney}
  - {name: Sam Lee, email: sam@example.com, zone: America/New_York}
`

// auditTraffic is two weeks of meetings, threads and replies among ms,
// from 2026-03-02, with someone off the roster in every meeting.
func auditTraffic(ms []team.Member) []ingest.Interaction {
	var ins []ingest.Interaction
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for d := range 14 {
		for i, m := range ms {
			other := ms[(i+1+d)%len(ms)]
			at := start.AddDate(0, 0, d).Add(time.Duration(5+(i*4+d)%15) * time.Hour)
			thread := fmt.Sprintf("C1/%d.%d", d, i)
			ins = append(ins,
				ingest.Interaction{Source: ingest.SourceICS, ID: fmt.Sprintf("e%d.%d", d, i), Mode: ingest.Sync, Kind: ingest.Meeting, Start: at, End: at.Add(50 * time.Minute),
					Organizer: m.Email, Recurring: i%2 == 0, Participants: []ingest.Participant{{ID: m.Email, Member: true}, {ID: other.Email, Member: true}, {ID: "anon-00112233aabb"}}},
				ingest.Interaction{Source: ingest.SourceSlack, ID: thread, Mode: ingest.Async, Kind: ingest.Message, Start: at.Add(-3 * time.Hour), End: at.Add(-3 * time.Hour),
					Organizer: m.Email, ThreadID: thread, Channel: "general", ChannelKind: ingest.Public},
				ingest.Interaction{Source: ingest.SourceSlack, ID: thread + "/r", Mode: ingest.Async, Kind: ingest.Reply, Start: at.Add(2 * time.Hour), End: at.Add(2 * time.Hour),
					Organizer: other.Email, ThreadID: thread, InReplyTo: thread, Channel: "general", ChannelKind: ingest.Public},
			)
		}
	}
	return ins
}

// auditFixture stores the six-person Alpha and its traffic.
func auditFixture(t *testing.T) *fixture {
	t.Helper()
	f := newSQLiteFixture(t)
	ctx := context.Background()
	tm, err := team.ParseRoster("alpha.yaml", []byte(auditRoster))
	if err != nil {
		t.Fatal(err)
	}
	if f.teamA, err = f.db.ReplaceTeam(ctx, fmt.Sprint(f.teamA.ID), tm); err != nil {
		t.Fatal(err)
	}
	_, err = f.db.ImportInteractions(ctx, f.teamA.ID, store.ImportMeta{Name: "traffic", Format: "csv", Hash: "traffic"},
		func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			var st ingest.Stats
			for _, in := range auditTraffic(f.teamA.Members) {
				if err := emit(in); err != nil {
					return st, err
				}
				st.Read++
				st.Emitted++
			}
			return st, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) runAudit(t *testing.T, role string, fields url.Values) *http.Response {
	t.Helper()
	return f.form(t, role, fmt.Sprintf("/teams/%d/audit", f.teamA.ID), fields, nil).Result()
}

func TestAuditPages(t *testing.T) {
	f := auditFixture(t)
	page := fmt.Sprintf("/teams/%d/audit", f.teamA.ID)
	if w := f.request(t, "member", "GET", page, nil, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `id="no-audit"`) {
		t.Fatalf("audit page before any audit: %d", w.Code)
	}
	res := f.runAudit(t, "lead", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("run audit = %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	body := f.request(t, "member", "GET", page, nil, nil).Body.String()
	for _, want := range []string{`id="chart-weekly"`, `id="chart-heat-meetings"`, `id="chart-burden"`, `id="findings"`, "6 people, 12 person-weeks"} {
		if !strings.Contains(body, want) {
			t.Errorf("member's audit page lacks %q", want)
		}
	}
	for _, m := range f.teamA.Members {
		// The header shows the viewer's own email.
		if m.Email != "member@example.com" && strings.Contains(body, m.Email) || strings.Contains(body, m.Name) {
			t.Errorf("audit page names %s", m.Name)
		}
	}
	if strings.Contains(body, `id="run-audit"`) {
		t.Errorf("a member sees the run form")
	}
	if !strings.Contains(f.request(t, "lead", "GET", page, nil, nil).Body.String(), `id="run-audit"`) {
		t.Errorf("the lead does not see the run form")
	}

	t.Run("bad periods", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			fields url.Values
			want   string
		}{
			{"from after to", url.Values{"from": {"2026-03-15"}, "to": {"2026-03-02"}}, "--from 2026-03-15 is after --to 2026-03-02"},
			{"bad date", url.Values{"from": {"2026-13-01"}, "to": {"2026-03-02"}}, `From: &#34;2026-13-01&#34; is not a date`},
			{"no data", url.Values{"from": {"2025-01-01"}, "to": {"2025-01-31"}}, "no imported meetings or messages"},
			{"half a comparison", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}, "compare_from": {"2026-02-01"}}, "Compare from and Compare to go together"},
		} {
			t.Run(c.name, func(t *testing.T) {
				w := f.form(t, "lead", page, c.fields, nil)
				if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), c.want) {
					t.Errorf("got %d, want 400 with %q", w.Code, c.want)
				}
			})
		}
	})

	t.Run("my week shows my own numbers only", func(t *testing.T) {
		body := f.request(t, "member", "GET", "/me/week", nil, nil).Body.String()
		if !strings.Contains(body, `id="my-tiles"`) || !strings.Contains(body, `id="team-compare"`) || !strings.Contains(body, `id="chart-weekly"`) {
			t.Errorf("my week lacks the member's figures")
		}
		var mine []store.PersonAudit
		w := f.request(t, "member", "GET", "/api/v1/me/audit", nil, nil)
		if err := json.Unmarshal(w.Body.Bytes(), &mine); err != nil || len(mine) != 1 {
			t.Fatalf("GET /api/v1/me/audit = %d %s", w.Code, w.Body)
		}
		if p := mine[0].Person; p.Email != "member@example.com" || p.Total.Meetings == 0 {
			t.Errorf("own figures = %+v", p)
		}
		if strings.Contains(w.Body.String(), "lead@example.com") || strings.Contains(body, "Leo Lead") {
			t.Errorf("someone else's figures are shown to the member")
		}
		if b := f.request(t, "admin", "GET", "/me/week", nil, nil).Body.String(); !strings.Contains(b, `id="no-figures"`) {
			t.Errorf("an admin off the roster sees figures")
		}
	})

	t.Run("decide uses the team's measured figures", func(t *testing.T) {
		w := f.request(t, "member", "POST", fmt.Sprintf("/api/v1/teams/%d/decide", f.teamA.ID), strings.NewReader(`{"purpose":"status"}`),
			map[string]string{"Content-Type": "application/json"})
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"team_figures":{"measured":true`) {
			t.Errorf("team decide = %d %.400s", w.Code, w.Body)
		}
	})

	t.Run("api", func(t *testing.T) {
		w := f.request(t, "member", "GET", fmt.Sprintf("/api/v1/teams/%d/audit", f.teamA.ID), nil, nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"meeting_hours"`) || strings.Contains(w.Body.String(), "@example.com") {
			t.Errorf("GET audit API = %d %.200s", w.Code, w.Body)
		}
		if w := f.request(t, "member", "GET", fmt.Sprintf("/api/v1/teams/%d/audit", f.teamB.ID), nil, nil); w.Code != http.StatusForbidden {
			t.Errorf("another team's audit = %d, want 403", w.Code)
		}
	})
}

// TestAuditPageSmallTeamSuppressed: a team under the threshold shows no
// figures to anyone, leads included.
func TestAuditPageSmallTeamSuppressed(t *testing.T) {
	f := newSQLiteFixture(t)
	ctx := context.Background()
	_, err := f.db.ImportInteractions(ctx, f.teamA.ID, store.ImportMeta{Name: "traffic", Format: "csv", Hash: "traffic"},
		func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			for _, in := range auditTraffic(f.teamA.Members) {
				if err := emit(in); err != nil {
					return ingest.Stats{}, err
				}
			}
			return ingest.Stats{}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if res := f.runAudit(t, "lead", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("run audit = %d", res.StatusCode)
	}
	body := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/audit", f.teamA.ID), nil, nil).Body.String()
	if !strings.Contains(body, `id="team-suppressed"`) || strings.Contains(body, "<svg") {
		t.Errorf("the 3-person team's audit is not suppressed")
	}
	// Members still see their own numbers.
	if b := f.request(t, "member", "GET", "/me/week", nil, nil).Body.String(); !strings.Contains(b, `id="my-tiles"`) || strings.Contains(b, `id="team-compare"`) {
		t.Errorf("my week of a member of a small team: own figures missing or team figures shown")
	}
}
