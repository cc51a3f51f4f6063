package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// demoFixture is a server over the demo organisation, as `serve --demo`
// makes it, with the demo admin signed in.
type demoFixture struct {
	db     *store.DB
	srv    *Server
	login  *DemoLogin
	cookie string // the demo admin's session
	main   int64  // the main team's id
}

func newDemoFixture(t testing.TB) *demoFixture {
	t.Helper()
	ctx := context.Background()
	f := &demoFixture{db: storetest.SQLite(t)}
	tm, err := demo.Seed(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.main = tm.ID
	email, password, err := demo.Admin(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.login = &DemoLogin{Email: email, Password: password}
	u, _, err := f.db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	secret, h := account.NewSecret("rs_")
	if err := f.db.CreateSession(ctx, h, u.ID, f.db.Now().Add(sessionLifetime)); err != nil {
		t.Fatal(err)
	}
	f.cookie = secret
	if f.srv, err = New(Config{DB: f.db, Demo: f.login}); err != nil {
		t.Fatal(err)
	}
	return f
}

// session signs in a new account for the roster member with email and
// returns its session cookie's value.
func (f *demoFixture) session(t *testing.T, email string, role account.Role) string {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword("a demo member password")
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.db.CreateUser(ctx, account.User{Email: email, Name: email, Role: role}, hash)
	if err != nil {
		t.Fatal(err)
	}
	secret, h := account.NewSecret("rs_")
	if err := f.db.CreateSession(ctx, h, u.ID, f.db.Now().Add(sessionLifetime)); err != nil {
		t.Fatal(err)
	}
	return secret
}

// pages returns a path for every page of the route table: each GET route
// that is neither the API nor a file (such as .ics) nor a health check,
// with its path parameters filled from the demo data. A page whose
// parameters it cannot fill fails the test, so a new page is covered (or
// noticed) without editing a list.
func (f *demoFixture) pages(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	ths, err := f.db.Threads(ctx, f.main, store.ThreadFilter{})
	if err != nil || len(ths) == 0 {
		t.Fatalf("demo threads: %v, %v", ths, err)
	}
	rounds, err := f.db.ListRounds(ctx, demo.TeamName)
	if err != nil || len(rounds) < 2 {
		t.Fatalf("demo rounds: %v, %v", rounds, err)
	}
	exps, err := f.db.ListExperiments(ctx)
	if err != nil || len(exps) == 0 {
		t.Fatalf("demo experiments: %v, %v", exps, err)
	}
	closed := rounds[1].ID // rounds[0] is the open one
	params := map[string]string{
		"{team}":             strconv.FormatInt(f.main, 10),
		"/threads/{id}":      "/threads/" + strconv.FormatInt(ths[0].ID, 10),
		"/pulse/{id}":        "/pulse/" + strconv.FormatInt(closed, 10),
		"/experiments/{id}/": "/experiments/" + strconv.FormatInt(exps[0].ID, 10) + "/",
	}
	var out []string
	for _, r := range f.srv.routeList {
		method, path, _ := strings.Cut(r.pattern, " ")
		if method != http.MethodGet || r.access == unguarded || strings.HasPrefix(path, "/api/") || strings.Contains(path[strings.LastIndex(path, "/"):], ".") {
			continue
		}
		if _, ok := notPages[path]; ok {
			continue
		}
		path = strings.TrimSuffix(path, "{$}")
		if strings.HasSuffix(path, "/{id}") {
			path += "/" // so "/experiments/{id}/" matches like the longer routes
		}
		for k, v := range params {
			path = strings.ReplaceAll(path, k, v)
		}
		if path != "/" {
			path = strings.TrimSuffix(path, "/")
		}
		if strings.Contains(path, "{") {
			t.Fatalf("route %q: no demo value for its path parameter; add one to pages", r.pattern)
		}
		if !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	return out
}

// notPages are GET routes of the page table that show no page of their
// own, and why.
var notPages = map[string]string{
	"/auth/oidc/login":    "sends the browser on to the identity provider (404 when single sign-on is off)",
	"/auth/oidc/callback": "where the identity provider sends the browser back",
}

// get fetches path as the demo admin and returns the status and body.
func (f *demoFixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: f.cookie})
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// emptyAllowed are the empty states a page of the demo may show, and why.
var emptyAllowed = map[string]string{
	"no-calendars": "live calendars need a CalDAV server; the demo imports files instead",
	"no-reminders": "reminders are sent by the running server, not seeded",
	"no-figures":   "the demo admin is on no roster, so has no week of their own",
	"no-waiting":   "the demo admin is on no roster, so owes nothing",
	"no-golden":    "the main team spans every continent: no hour suits all",
	"no-led-teams": "shown only to leads who lead no team",
}

var emptyState = regexp.MustCompile(`id="(no-[a-z-]+)"`)

// TestDemoPagesHaveContent opens every page of the demo as its admin: each
// answers 200 and shows no empty state beyond the few the demo cannot
// fill, and the pages the issue names show real content.
func TestDemoPagesHaveContent(t *testing.T) {
	f := newDemoFixture(t)
	pages := f.pages(t)
	if len(pages) < 20 {
		t.Fatalf("only %d pages found in the route table: %v", len(pages), pages)
	}
	bodies := map[string]string{}
	for _, p := range pages {
		code, body := f.get(t, p)
		if code == http.StatusSeeOther && (p == "/" || p == "/setup") {
			continue // home leads to the teams; setup is done
		}
		if code != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, code)
			continue
		}
		bodies[p] = body
		for _, m := range emptyState.FindAllStringSubmatch(body, -1) {
			if _, ok := emptyAllowed[m[1]]; !ok {
				t.Errorf("GET %s shows the empty state #%s", p, m[1])
			}
		}
	}
	team := "/teams/" + strconv.FormatInt(f.main, 10)
	_, bodies[team+"/threads?state=all"] = f.get(t, team+"/threads?state=all")
	for _, c := range []struct {
		page, what string
		re         string
		min        int
	}{
		{"/teams", "the organisation's teams", `href="/teams/\d+"`, 4},
		{team + "/threads", "open threads", `On-call rotation|Review the database failover`, 2},
		{team + "/threads", "an overdue thread", `>overdue<`, 1},
		{team + "/threads?state=all", "a closed thread", `Replace the Monday planning call with a written plan</a> <span class="badge off">closed</span>`, 1},
		{team + "/threads", "the playbook run's threads", `Weekly status: Platform`, 1},
		{team + "/decisions", "decisions in the log", `Planning is a written plan|Wednesday stays free of meetings`, 2},
		{team + "/pulse", "closed and open rounds", `href="` + team + `/pulse/\d+"`, 5},
		{"/experiments", "a running experiment", `Async prep before the weekly sync[\s\S]*?<td data-label="Status">running</td>`, 1},
		{"/insights/correlations", "associations with intervals", `<article class="finding">`, 1},
		{"/insights/correlations", "an interval", `data-label="95% interval">\[-?\d\.\d\d, -?\d\.\d\d\]</td>`, 1},
		{team + "/audit", "an audit", `id="audit-saved"`, 1},
	} {
		if n := len(regexp.MustCompile(c.re).FindAllString(bodies[c.page], -1)); n < c.min {
			t.Errorf("%s shows %d of %q, want at least %d: %s", c.page, n, c.re, c.min, c.what)
		}
	}
	for _, p := range pages {
		if strings.Contains(p, "/pulse/") {
			if body := bodies[p]; !strings.Contains(body, "eNPS") || strings.Contains(body, "suppressed") {
				t.Errorf("%s: want a closed round's results with its eNPS, not suppressed", p)
			}
		}
	}
}
