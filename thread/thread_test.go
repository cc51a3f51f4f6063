package thread

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

func testTeam(t testing.TB) *team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(`team: Platform
norms: {response_window: 24h}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00", aliases: [U024BE7LH]}
  - {name: Liam Byrne, email: liam@example.com, zone: America/St_Johns}
`))
	if err != nil {
		t.Fatal(err)
	}
	tm.ID = 7
	return &tm
}

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestNewThreadValidate(t *testing.T) {
	tm := testTeam(t)
	got, err := NewThread{Title: " Pick the Q2 goal ", Owner: "Ana Silva", Participants: []string{"U024BE7LH", "liam@example.com", "ana@example.com", "kenji@example.com"},
		Link: "https://docs.example.com/q2"}.Validate(tm, "ana@example.com", now)
	if err != nil {
		t.Fatal(err)
	}
	want := Thread{TeamID: 7, Title: "Pick the Q2 goal", Link: "https://docs.example.com/q2", Owner: "ana@example.com",
		Participants: []string{"kenji@example.com", "liam@example.com"}, DueBy: now.Add(24 * time.Hour), State: Open,
		CreatedBy: "ana@example.com", CreatedAt: now}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("thread (-want +got):\n%s", diff)
	}
}

func TestNewThreadErrors(t *testing.T) {
	tm := testTeam(t)
	ok := NewThread{Title: "T", Owner: "ana@example.com", Participants: []string{"kenji@example.com"}}
	tests := []struct {
		name  string
		edit  func(*NewThread)
		field string
	}{
		{"no title", func(n *NewThread) { n.Title = "  " }, "title:"},
		{"long title", func(n *NewThread) { n.Title = strings.Repeat("x", MaxTitle+1) }, "title:"},
		{"no owner", func(n *NewThread) { n.Owner = "" }, "owner:"},
		{"unknown owner", func(n *NewThread) { n.Owner = "zed@example.com" }, "owner:"},
		{"unknown participant", func(n *NewThread) { n.Participants = []string{"kenji@example.com", "nobody"} }, "participants[1]:"},
		{"only the owner", func(n *NewThread) { n.Participants = []string{"Ana Silva"} }, "participants:"},
		{"due in the past", func(n *NewThread) { n.DueBy = "2026-03-09T12:00:00Z" }, "due_by: 2026-03-09T12:00:00Z is in the past"},
		{"due now", func(n *NewThread) { n.DueBy = now.Format(time.RFC3339) }, "due_by:"},
		{"due not a time", func(n *NewThread) { n.DueBy = "tomorrow" }, "due_by:"},
		{"due years ahead", func(n *NewThread) { n.DueBy = "2030-01-01T00:00:00Z" }, "due_by:"},
		{"link not http", func(n *NewThread) { n.Link = "javascript:alert(1)" }, "link:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.edit(&n)
			_, err := n.Validate(tm, "ana@example.com", now)
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(err.Error(), tt.field) {
				t.Errorf("err = %v, want EINVALID starting %q", err, tt.field)
			}
		})
	}
}

func TestOwed(t *testing.T) {
	th := Thread{ID: 1, Owner: "ana@example.com", Participants: []string{"kenji@example.com", "liam@example.com"}, DueBy: now.Add(time.Hour), State: Open}
	debts := func(ds []Debt) []string {
		var out []string
		for _, d := range ds {
			s := d.Member + " " + d.What
			if d.Overdue {
				s += " overdue"
			}
			out = append(out, s)
		}
		return out
	}
	tests := []struct {
		name      string
		responses []Response
		state     State
		at        time.Time
		want      []string
	}{
		{"nobody answered", nil, Open, now, []string{"kenji@example.com respond", "liam@example.com respond"}},
		{"one acknowledged", []Response{{Member: "KENJI@example.com", Kind: Ack}}, Open, now, []string{"liam@example.com respond"}},
		{"all answered: owner closes", []Response{{Member: "kenji@example.com", Kind: Ack}, {Member: "liam@example.com", Kind: Answer}}, Open, now,
			[]string{"ana@example.com close"}},
		{"past due", []Response{{Member: "kenji@example.com", Kind: Answer}}, Open, now.Add(2 * time.Hour),
			[]string{"liam@example.com respond overdue", "ana@example.com close overdue"}},
		{"closed owes nothing", nil, Closed, now.Add(2 * time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := th
			th.Responses, th.State = tt.responses, tt.state
			if diff := cmp.Diff(tt.want, debts(th.Owed(tt.at))); diff != "" {
				t.Errorf("Owed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewResponse(t *testing.T) {
	tm := testTeam(t)
	th := &Thread{ID: 3, Owner: "ana@example.com", Participants: []string{"kenji@example.com"}, State: Open}
	r, err := NewResponse(th, tm, "Kenji Sato", Answer, " looks good ", now)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Response{ThreadID: 3, Member: "kenji@example.com", Kind: Answer, Note: "looks good", At: now}); r != want {
		t.Errorf("response = %+v, want %+v", r, want)
	}
	tests := []struct {
		name   string
		member string
		kind   Kind
		note   string
		state  State
		code   string
	}{
		{"not on roster", "zed@example.com", Answer, "", Open, rhythm.EFORBIDDEN},
		{"bad kind", "kenji@example.com", "shrug", "", Open, rhythm.EINVALID},
		{"long note", "kenji@example.com", Answer, strings.Repeat("n", MaxNote+1), Open, rhythm.EINVALID},
		{"closed", "kenji@example.com", Ack, "", Closed, rhythm.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := *th
			th.State = tt.state
			_, err := NewResponse(&th, tm, tt.member, tt.kind, tt.note, now)
			if got := rhythm.ErrorCode(err); got != tt.code {
				t.Errorf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestLocalDues(t *testing.T) {
	tm := testTeam(t)
	th := Thread{Owner: "ana@example.com", Participants: []string{"kenji@example.com"}, DueBy: time.Date(2026, 3, 10, 17, 0, 0, 0, time.UTC)}
	got := th.LocalDues(tm)
	want := []LocalDue{
		{Member: "ana@example.com", Zone: "Europe/Lisbon", Local: "Tue 10 Mar 17:00", Working: true},
		{Member: "kenji@example.com", Zone: "Asia/Tokyo", Local: "Wed 11 Mar 02:00", Working: false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LocalDues (-want +got):\n%s", diff)
	}
}

func TestNewDecisionValidate(t *testing.T) {
	tm := testTeam(t)
	got, err := NewDecision{What: "Ship v2 on 1 April", Why: "Customers asked", Owner: "nobody", ThreadID: 4, Meeting: "huddle-1@rhythm"}.Validate(tm, "ana@example.com", now)
	if err == nil {
		t.Fatalf("owner %q matched; want it unknown", "nobody")
	}
	got, err = NewDecision{What: "Ship v2 on 1 April", Why: "Customers asked", Owner: "Kenji Sato", ThreadID: 4}.Validate(tm, "ana@example.com", now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != "kenji@example.com" || got.Date != (team.Date{Year: 2026, Month: 3, Day: 10}) {
		t.Errorf("decision = %+v, want owner kenji@example.com on his date 2026-03-10", got)
	}
	ok := NewDecision{What: "W", Why: "Y", Owner: "ana@example.com"}
	tests := []struct {
		name  string
		edit  func(*NewDecision)
		field string
	}{
		{"no what", func(n *NewDecision) { n.What = "" }, "what:"},
		{"no why", func(n *NewDecision) { n.Why = " " }, "why:"},
		{"no owner", func(n *NewDecision) { n.Owner = "" }, "owner:"},
		{"unknown owner", func(n *NewDecision) { n.Owner = "x@y.z" }, "owner:"},
		{"bad date", func(n *NewDecision) { n.Date = "10/03/2026" }, "date:"},
		{"future date", func(n *NewDecision) { n.Date = "2026-04-01" }, "date:"},
		{"bad link", func(n *NewDecision) { n.Link = "ftp://x" }, "link:"},
		{"close without thread", func(n *NewDecision) { n.Close = true }, "close:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.edit(&n)
			_, err := n.Validate(tm, "ana@example.com", now)
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(err.Error(), tt.field) {
				t.Errorf("err = %v, want EINVALID starting %q", err, tt.field)
			}
		})
	}
}
