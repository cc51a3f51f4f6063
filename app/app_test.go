package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

const (
	rosterA = `team: Alpha
norms: {response_window: 24h}
slack: {workspace: T0ALPHA, channels: [C0ALPHA]}
members:
  - {name: Mia Member, email: member@example.com, zone: Asia/Kathmandu}
  - {name: Leo Lead, email: lead@example.com, zone: America/St_Johns}
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}
`
	rosterB = `team: Bravo
members:
  - {name: Olga Other, email: other@example.com, zone: Australia/Lord_Howe}
`
)

const rosterC = `team: Charlie
members:
  - {name: Carl New, email: carl@example.com, zone: Europe/Oslo}
`

func roster(yaml string) team.Team {
	t, err := team.ParseRoster("roster.yaml", []byte(yaml))
	if err != nil {
		panic(err)
	}
	return t
}

// roles are the identities every use case is called as, in the order of
// the web authorization table, and the command line.
// The Slack app (a verified request) and a Slack user mapped to the
// member come last.
var roles = []string{"anonymous", "member", "lead of another team", "lead", "admin", "command line", "slack app", "slack member"}

// fixture is a database with two teams and one user of each role.
type fixture struct {
	app          *app.App
	db           *store.DB
	teamA, teamB team.Team
	actors       map[string]app.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	box, err := secret.New(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	signOn := sso.Policy{AllowedDomains: []string{"partner.example"}, AdminGroup: "rhythm-admins", ProviderName: "Test ID"}
	f := &fixture{app: app.New(db, nil).WithCalendars(app.CalendarConfig{Box: box}).WithSignOn(signOn), db: db, actors: map[string]app.Actor{
		"anonymous": app.Anonymous(), "command line": app.System(""),
		"slack app": app.SlackApp("T0ALPHA"), "slack member": app.SlackMember("T0ALPHA", "member@example.com"),
	}}
	for _, r := range []struct {
		yaml string
		dst  *team.Team
	}{{rosterA, &f.teamA}, {rosterB, &f.teamB}} {
		tm, err := team.ParseRoster("fixture.yaml", []byte(r.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if *r.dst, err = db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]account.User{
		"member":               {Email: "member@example.com", Role: account.Member},
		"lead of another team": {Email: "other@example.com", Role: account.Lead, LeadOf: []int64{f.teamB.ID}},
		"lead":                 {Email: "lead@example.com", Role: account.Lead, LeadOf: []int64{f.teamA.ID}},
		"admin":                {Email: "admin@example.com", Role: account.Admin},
	}
	for role, u := range users {
		u.Name = role
		u, err := db.CreateUser(ctx, u, "not a real hash")
		if err != nil {
			t.Fatal(err)
		}
		f.actors[role] = app.As(u)
	}
	return f
}

// allowed is who may use a use case of the given access: the same rule
// as the web route table's (TestAuthorizationTable in web).
func allowed(a app.Access, role string) bool {
	switch a {
	case app.Public:
		return true
	case app.SignedIn:
		return role != "anonymous" && role != "slack app" && role != "slack member"
	case app.TeamMember:
		return role == "member" || role == "lead" || role == "admin" || role == "command line" || role == "slack member"
	case app.TeamLead:
		return role == "lead" || role == "admin" || role == "command line"
	case app.AdminOnly:
		return role == "admin" || role == "command line"
	case app.SlackSigned:
		return role == "slack app"
	}
	panic("unknown access")
}

// useCase calls one use case of the application layer as who, on team A.
type useCase struct {
	name   string
	access app.Access
	call   func(ctx context.Context, f *fixture, who app.Actor) error
}

const missing = 999999 // an id nothing has: allowed calls answer ENOTFOUND

func useCases() []useCase {
	a := func(f *fixture) string { return fmt.Sprint(f.teamA.ID) }
	return []useCase{
		{"Calendars", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Calendars(ctx, who, a(f))
			return err
		}},
		{"ConnectCalendar (a team calendar)", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ConnectCalendar(ctx, who, a(f), app.CalendarInput{Team: true, ICSURL: "https://calendar.example.com/team/basic.ics"})
			return err
		}},
		{"ConnectCalendar (the member's own)", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ConnectCalendar(ctx, who, a(f), app.CalendarInput{Member: "member@example.com", ICSURL: "https://calendar.example.com/member/basic.ics"})
			return err
		}},
		{"RemoveCalendar", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.RemoveCalendar(ctx, who, a(f), missing)
		}},
		{"SyncCalendar", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SyncCalendar(ctx, who, a(f), missing)
			return err
		}},
		{"Team", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Team(ctx, who, a(f))
			return err
		}},
		{"Teams", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Teams(ctx, who)
			return err
		}},
		{"Threads", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Threads(ctx, who, a(f), store.ThreadFilter{})
			return err
		}},
		{"CreateThread", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CreateThread(ctx, who, a(f), thread.NewThread{Title: "Pick the goal", Owner: "ana@example.com", Participants: []string{"member@example.com"}})
			return err
		}},
		{"Thread", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, _, err := f.app.Thread(ctx, who, a(f), missing)
			return err
		}},
		{"Respond", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Respond(ctx, who, a(f), missing, "", "yes")
			return err
		}},
		{"CloseThread", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CloseThread(ctx, who, a(f), missing)
			return err
		}},
		{"Waiting", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Waiting(ctx, who, a(f), "ana@example.com")
			return err
		}},
		{"WaitingOnMe", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.WaitingOnMe(ctx, who)
			return err
		}},
		{"Decisions", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Decisions(ctx, who, a(f), thread.Query{})
			return err
		}},
		{"Decision", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Decision(ctx, who, a(f), missing)
			return err
		}},
		{"RecordDecision", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.RecordDecision(ctx, who, a(f), thread.NewDecision{What: "Status goes async", Owner: "ana@example.com"})
			return err
		}},
		{"AuditStored", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.AuditStored(ctx, who, a(f), auditConfig(), nil)
			return err // allowed: EINVALID, as nothing is imported
		}},
		{"RunStoredAudit", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.RunStoredAudit(ctx, who, a(f), auditConfig())
			return err
		}},
		{"SaveAudit", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SaveAudit(ctx, who, a(f), &audit.Result{})
			return err
		}},
		{"LatestAudit", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.LatestAudit(ctx, who, a(f))
			return err
		}},
		{"AuditFigures", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.AuditFigures(ctx, who, a(f))
			return err
		}},
		{"MyAudits", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.MyAudits(ctx, who)
			return err
		}},
		{"CreateTeam", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CreateTeam(ctx, who, roster(rosterC))
			return err
		}},
		{"SaveRoster", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.SaveRoster(ctx, who, roster(rosterC))
			return err
		}},
		{"ReplaceTeam", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ReplaceTeam(ctx, who, a(f), roster(rosterA))
			return err
		}},
		{"Member", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Member(ctx, who, a(f), missing)
			return err
		}},
		{"AddMember", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.AddMember(ctx, who, a(f), roster(rosterC).Members[0])
			return err
		}},
		{"UpdateMember", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.UpdateMember(ctx, who, a(f), missing, roster(rosterC).Members[0])
			return err
		}},
		{"DeleteMember", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.DeleteMember(ctx, who, a(f), missing)
		}},
		{"DeleteTeam", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.DeleteTeam(ctx, who, fmt.Sprint(f.teamB.ID))
		}},
		{"Playbooks", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Playbooks(ctx, who, a(f))
			return err
		}},
		{"TeamPlaybooks", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.TeamPlaybooks(ctx, who, a(f))
			return err
		}},
		{"Playbook", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Playbook(ctx, who, a(f), "no-such-playbook")
			return err
		}},
		{"RunPlaybook", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.RunPlaybook(ctx, who, a(f), "no-such-playbook", app.PlaybookRun{Date: "2026-03-09"})
			return err
		}},
		{"SavePlaybook", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SavePlaybook(ctx, who, a(f), "x", []byte("not: [yaml"))
			return err
		}},
		{"DeletePlaybook", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.DeletePlaybook(ctx, who, a(f), "no-such-playbook")
		}},
		{"Surveys", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Surveys(ctx, who)
			return err
		}},
		{"CreateSurvey", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CreateSurvey(ctx, who, pulse.Survey{Title: "Focus", Items: []pulse.Item{{Key: "focus", Kind: pulse.KindLikert, Text: "I have time to focus."}}})
			return err
		}},
		{"Rounds", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Rounds(ctx, who, a(f))
			return err
		}},
		{"CreateRound", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CreateRound(ctx, who, a(f), app.RoundInput{Opens: "2099-04-01", Closes: "2099-04-14"})
			return err
		}},
		{"Round", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Round(ctx, who, a(f), missing)
			return err
		}},
		{"SubmitAnswers", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SubmitAnswers(ctx, who, a(f), missing, pulse.Answers{"enps": 9})
			return err
		}},
		{"RoundResults", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.RoundResults(ctx, who, a(f), missing)
			return err
		}},
		{"RoundResults (by round id only)", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			rd, err := f.db.CreateRound(ctx, a(f), pulse.Round{Opens: time.Now().Add(time.Hour), Closes: time.Now().Add(48 * time.Hour)})
			if err != nil {
				return fmt.Errorf("creating a round: %w", err)
			}
			_, err = f.app.RoundResults(ctx, who, "", rd.ID)
			return err
		}},
		{"RoundResponses", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.RoundResponses(ctx, who, a(f), missing)
			return err
		}},
		{"ImportResponses", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ImportResponses(ctx, who, a(f), missing, "answers.csv", []byte("enps\n9\n"))
			return err
		}},
		{"Churn", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Churn(ctx, who, a(f), team.Date{Year: 2026, Month: 1, Day: 1}, team.Date{Year: 2026, Month: 3, Day: 31})
			return err
		}},
		{"ImportMetrics", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ImportMetrics(ctx, who, "test", nil)
			return err
		}},
		{"Correlations", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Correlations(ctx, who, nil, nil, nil, stats.Options{Seed: 1, Resamples: 10, Permutations: 10})
			return err
		}},
		{"Experiments", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Experiments(ctx, who)
			return err
		}},
		{"LedTeams", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.LedTeams(ctx, who)
			return err
		}},
		{"CreateExperiment", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			// Allowed: EINVALID (one team cannot fill two arms). Only leads of
			// every team may create one: see TestCreateExperimentNeedsLeads.
			_, err := f.app.CreateExperiment(ctx, who, app.ExperimentInput{Name: "X", Teams: []string{a(f)}, Baseline: "2026-01-05/2026-02-01", Treatment: "2026-02-09/2026-03-08", Outcomes: []string{"meeting_hours"}})
			return err
		}},
		{"Experiment", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Experiment(ctx, who, missing)
			return err
		}},
		{"AssignExperiment", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.AssignExperiment(ctx, who, missing, "", nil)
			return err
		}},
		{"ExperimentReport", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.ExperimentReport(ctx, who, missing, nil, 10)
			return err
		}},
		{"Schedule", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Schedule(ctx, who, a(f), schedule.Query{Duration: "30m", Between: []string{"2026-03-02", "2026-03-06"}})
			return err
		}},
		{"Overlap", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Overlap(ctx, who, a(f), app.OverlapQuery{Zone: "UTC", Week: "2026-03-02"})
			return err
		}},
		{"Import", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Import(ctx, who, a(f), nil)
			return err
		}},
		{"Imports", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.Imports(ctx, who, a(f))
			return err
		}},
		{"Decide", app.Public, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Decide(ctx, who, &decide.Request{Purpose: "status_update"})
			return err
		}},
		{"DecideForTeam", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.DecideForTeam(ctx, who, a(f), &decide.Request{Purpose: "status_update", With: []string{"ana@example.com", "member@example.com"}})
			return err
		}},
		{"Reminders", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Reminders(ctx, who, a(f), store.ReminderFilter{Failing: true})
			return err
		}},
		{"RetryReminder", app.TeamLead, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.RetryReminder(ctx, who, a(f), missing)
			return err
		}},
		{"CreateUser", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.CreateUser(ctx, who, app.NewUser{Email: "new@example.com", Role: "member", Password: "a long enough password"})
			return err
		}},
		{"Users", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Users(ctx, who)
			return err
		}},
		{"UpdateUser", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.UpdateUser(ctx, who, missing, "", account.Member, nil)
		}},
		{"DeleteUser", app.AdminOnly, func(ctx context.Context, f *fixture, who app.Actor) error {
			return f.app.DeleteUser(ctx, who, missing)
		}},
		{"CreateToken", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.CreateToken(ctx, who, "member@example.com", "ci")
			if who.SignedIn() && !who.Admin() && rhythm.ErrorCode(err) == rhythm.EFORBIDDEN {
				// Only admins make tokens for someone else: their own is allowed.
				_, _, err = f.app.CreateToken(ctx, who, "", "ci")
			}
			return err
		}},
		{"ZoneOf", app.Public, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.ZoneOf(ctx, who)
			return err
		}},
		{"SetZone", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SetZone(ctx, who, "Europe/Berlin")
			return err
		}},
		{"Tokens", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.Tokens(ctx, who)
			if who.System {
				return nil // the command line has no tokens of its own
			}
			return err
		}},
		{"RecordChatEvent", app.SlackSigned, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.RecordChatEvent(ctx, who, app.ChatEvent{Workspace: "T0ALPHA", Channel: "C0ALPHA", ChannelType: "channel",
				Event: []byte(`{"type":"message","user":"U1","ts":"1772442000.000100","channel":"C0ALPHA","text":"hi"}`)})
			return err
		}},
		{"SlackCaller", app.SlackSigned, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, t, err := f.app.SlackCaller(ctx, who, "C0ALPHA", "member@example.com", "U0MEMBER")
			if err == nil && t.Name != "Alpha" {
				return fmt.Errorf("SlackCaller found team %q", t.Name)
			}
			return err
		}},
		{"SlackThreadCaller", app.SlackSigned, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, _, err := f.app.SlackThreadCaller(ctx, who, missing, "member@example.com", "U0MEMBER")
			return err
		}},
		{"SnoozeReminder", app.TeamMember, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.SnoozeReminder(ctx, who, a(f), missing)
			return err
		}},
		{"SignInWithIdentity", app.Public, func(ctx context.Context, f *fixture, who app.Actor) error {
			// Ana is on team A's roster: her first sign-in makes her a member.
			u, err := f.app.SignInWithIdentity(ctx, who, sso.Claims{Issuer: "https://id.example.com", Subject: "id-ana",
				Email: "ana@example.com", EmailVerified: true})
			if err == nil && (u.Role != account.Member || u.Email != "ana@example.com") {
				return fmt.Errorf("signed in as %+v, want ana@example.com as a member", u)
			}
			return err
		}},
		{"RevokeToken", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			err := f.app.RevokeToken(ctx, who, missing)
			if who.System {
				return nil
			}
			return err
		}},
		{"TokensOf", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			_, err := f.app.TokensOf(ctx, who, "member@example.com")
			if who.SignedIn() && !who.Admin() && rhythm.ErrorCode(err) == rhythm.EFORBIDDEN {
				// Only admins list someone else's tokens: their own is allowed.
				_, err = f.app.TokensOf(ctx, who, "")
			}
			return err
		}},
		{"RevokeTokenOf", app.SignedIn, func(ctx context.Context, f *fixture, who app.Actor) error {
			err := f.app.RevokeTokenOf(ctx, who, "member@example.com", missing)
			if who.SignedIn() && !who.Admin() && rhythm.ErrorCode(err) == rhythm.EFORBIDDEN {
				err = f.app.RevokeTokenOf(ctx, who, "", missing)
			}
			return err
		}},
	}
}

func auditConfig() audit.Config {
	return audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 3, Day: 2}, To: team.Date{Year: 2026, Month: 3, Day: 29}}}
}

// TestUseCaseAuthorization calls every use case of the application layer
// as every role and checks who gets through: the same answers as the web
// route table, so every surface built on the layer inherits them.
func TestUseCaseAuthorization(t *testing.T) {
	for _, role := range roles {
		f := newFixture(t) // one per role: what one role makes, another may not see
		for _, uc := range useCases() {
			t.Run(role+" "+uc.name, func(t *testing.T) {
				err := uc.call(context.Background(), f, f.actors[role])
				code := rhythm.ErrorCode(err)
				if err != nil && code == rhythm.EINTERNAL {
					t.Fatalf("%s as %s: internal error %v", uc.name, role, err)
				}
				denied := err != nil && (code == rhythm.EUNAUTHORIZED || code == rhythm.EFORBIDDEN)
				want := allowed(uc.access, role)
				switch {
				case want && denied:
					t.Errorf("%s as %s = %v, want it allowed", uc.name, role, err)
				case !want && !denied:
					t.Errorf("%s as %s = %v, want EUNAUTHORIZED or EFORBIDDEN", uc.name, role, err)
				case !want && role == "anonymous" && code != rhythm.EUNAUTHORIZED:
					t.Errorf("%s as nobody = %v, want EUNAUTHORIZED", uc.name, err)
				case !want && role != "anonymous" && code != rhythm.EFORBIDDEN:
					t.Errorf("%s as %s = %v, want EFORBIDDEN", uc.name, role, err)
				}
			})
		}
	}
}
