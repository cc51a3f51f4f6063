package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/team"
)

// jsonReq sends a JSON body as the given role.
func (f *fixture) jsonReq(t *testing.T, role, method, target, body string) (int, string) {
	t.Helper()
	w := f.request(t, role, method, target, strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
	return w.Code, w.Body.String()
}

// setNow moves the clock of the server and the database.
func (f *fixture) setNow(now time.Time) {
	f.srv.now = func() time.Time { return now }
	f.db.Now = func() time.Time { return now }
}

// growAlpha adds three members to Alpha: a round holds at most one answer
// per member, and the tests import more answers than Alpha's three.
func (f *fixture) growAlpha(t *testing.T) {
	t.Helper()
	bigger, err := team.ParseRoster("alpha.yaml", []byte(rosterA+`  - {name: Bo One, email: bo@example.com, zone: UTC}
  - {name: Cy Two, email: cy@example.com, zone: UTC}
  - {name: Di Three, email: di@example.com, zone: UTC}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.SaveRoster(context.Background(), bigger); err != nil {
		t.Fatal(err)
	}
}

const fullAnswers = `{"answers":{"enps":9,"connected":4,"uninterrupted_time":2,"meetings_worthwhile":3}}`

func TestPulseAPIAnswersAreAnonymous(t *testing.T) {
	f := newSQLiteFixture(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	f.setNow(now)
	base := fmt.Sprintf("/api/v1/teams/%d/pulse/rounds", f.teamA.ID)
	code, body := f.jsonReq(t, "lead", "POST", base, `{"opens":"2026-03-09","closes":"2026-03-16"}`)
	if code != http.StatusCreated {
		t.Fatalf("create round = %d %s", code, body)
	}
	var rd pulse.Round
	json.Unmarshal([]byte(body), &rd)
	answers := fmt.Sprintf("%s/%d/answers", base, rd.ID)

	code, body = f.jsonReq(t, "member", "POST", answers, fullAnswers)
	if code != http.StatusCreated || body != fmt.Sprintf(`{"recorded":true,"round":%d}`+"\n", rd.ID) {
		t.Errorf("answer = %d %s; want 201 with nothing that names the stored response", code, body)
	}
	tests := []struct {
		name, role, body string
		status           int
		msg              string
	}{
		{"second answer", "member", fullAnswers, 409, "you have answered this round already"},
		{"Likert 7", "lead", `{"answers":{"enps":9,"connected":7,"uninterrupted_time":2,"meetings_worthwhile":3}}`, 400, "connected: 7 is not a Likert answer (1–5)"},
		{"eNPS 11", "lead", `{"answers":{"enps":11,"connected":4,"uninterrupted_time":2,"meetings_worthwhile":3}}`, 400, "enps: 11 is not an eNPS answer (0–10)"},
		{"missing item", "lead", `{"answers":{"enps":9}}`, 400, "connected: please answer every question"},
		{"unknown field", "lead", `{"answers":{"enps":9},"email":"x"}`, 400, "malformed JSON body"},
		{"not on the roster", "admin", fullAnswers, 403, "only people on the roster"},
		{"other team's lead", "lead of another team", fullAnswers, 403, "only a member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.jsonReq(t, tt.role, "POST", answers, tt.body)
			var e apiError
			json.Unmarshal([]byte(body), &e)
			if code != tt.status || !strings.HasPrefix(e.Error.Message, tt.msg) {
				t.Errorf("= %d %s, want %d %q", code, body, tt.status, tt.msg)
			}
		})
	}
	// Answers from another tool's export are never mixed with collected ones.
	w := f.request(t, "admin", "POST", fmt.Sprintf("%s/%d/responses", base, rd.ID), strings.NewReader("enps,connected\n10,5\n3,2\n8,4\n7,3\n"), nil)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "never mixed") {
		t.Fatalf("import into a round that collects answers = %d %s, want 409", w.Code, w.Body)
	}
	// Four more people on the roster answer.
	for i, name := range []string{"Bo", "Cy", "Di", "Ed"} {
		m, err := f.db.AddMember(context.Background(), "Alpha", team.Member{Name: name, Email: strings.ToLower(name) + "@example.com", Zone: "UTC", Hours: team.DefaultHours, Days: team.WeekdaysMonFri})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.SubmitResponse(context.Background(), rd.ID, m.ID, pulse.Answers{"enps": 10 - i, "connected": 5 - i, "uninterrupted_time": 3, "meetings_worthwhile": 3}); err != nil {
			t.Fatal(err)
		}
	}
	if code, _ := f.jsonReq(t, "member", "GET", fmt.Sprintf("%s/%d/results", base, rd.ID), ""); code != 403 {
		t.Errorf("member reads results = %d, want 403", code)
	}
	code, body = f.jsonReq(t, "lead", "GET", fmt.Sprintf("%s/%d/results", base, rd.ID), "")
	if code != 200 || !strings.Contains(body, `"suppressed":true`) || strings.Contains(body, `"enps":{`) {
		t.Errorf("results while open = %d %s; want suppressed", code, body)
	}

	f.setNow(now.Add(7 * 24 * time.Hour)) // the round has closed
	var everything strings.Builder
	for _, role := range []string{"lead", "admin"} {
		for _, path := range []string{base, fmt.Sprintf("%s/%d/results", base, rd.ID), fmt.Sprintf("%s/%d/responses", base, rd.ID)} {
			code, body := f.jsonReq(t, role, "GET", path, "")
			if code != 200 {
				t.Fatalf("%s GET %s = %d %s", role, path, code, body)
			}
			everything.WriteString(body)
		}
	}
	var res pulse.Results
	f.jsonReq(t, "lead", "GET", fmt.Sprintf("%s/%d/results", base, rd.ID), "")
	_, body = f.jsonReq(t, "lead", "GET", fmt.Sprintf("%s/%d/results", base, rd.ID), "")
	json.Unmarshal([]byte(body), &res)
	if res.Suppressed || res.Responses != 5 || res.ENPS == nil || res.ENPS.N != 5 {
		t.Errorf("closed round with 5 responses: %+v", res)
	}
	// Nothing a lead or admin can read names or numbers the person who answered.
	member := f.teamA.Members[0]
	for _, leak := range []string{member.Email, member.Name, fmt.Sprintf(`"member_id":%d`, member.ID), fmt.Sprintf(`"member":%d`, member.ID)} {
		if strings.Contains(everything.String(), leak) {
			t.Errorf("API responses contain %q", leak)
		}
	}
	_, mine := f.jsonReq(t, "member", "GET", base, "")
	_, leads := f.jsonReq(t, "lead", "GET", base, "")
	if !strings.Contains(mine, `"answered":true`) || strings.Contains(leads, `"answered":true`) {
		t.Errorf("answered flags: member sees %s; lead sees %s; want each to see only their own", mine, leads)
	}
}

func TestPulsePagesHideResultsOfFourAnswers(t *testing.T) {
	f := newSQLiteFixture(t)
	ctx := context.Background()
	f.setNow(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	// Alpha's min_group_size is the default, 5.
	f.growAlpha(t)
	rd, err := f.db.CreateRound(ctx, "Alpha", pulse.Round{Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), Imported: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ImportResponses(ctx, rd.ID, "x", []pulse.Answers{{"enps": 9}, {"enps": 10}, {"enps": 2}, {"enps": 8}}); err != nil {
		t.Fatal(err)
	}
	w := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/pulse/%d", f.teamA.ID, rd.ID), nil, nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, `id="suppressed"`) || !strings.Contains(page, "4 responses; results need at least 5") || strings.Contains(page, `id="results"`) || strings.Contains(page, "eNPS") {
		t.Errorf("round page with 4 answers = %d; want the results withheld:\n%s", w.Code, page)
	}
	if w := f.request(t, "lead", "GET", fmt.Sprintf("/api/v1/teams/%d/pulse/rounds/%d/responses", f.teamA.ID, rd.ID), nil, nil); w.Code != 403 {
		t.Errorf("export of 4 answers = %d, want 403", w.Code)
	}
	// 9, 10, 2, 8, 6: two promoters, two detractors, in a round of their own.
	rd, err = f.db.CreateRound(ctx, "Alpha", pulse.Round{Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), Imported: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ImportResponses(ctx, rd.ID, "y", []pulse.Answers{{"enps": 9}, {"enps": 10}, {"enps": 2}, {"enps": 8}, {"enps": 6}}); err != nil {
		t.Fatal(err)
	}
	page = f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/pulse/%d", f.teamA.ID, rd.ID), nil, nil).Body.String()
	if !strings.Contains(page, `id="results"`) || !strings.Contains(page, "eNPS &#43;0") {
		t.Errorf("round page with 5 answers lacks the results")
	}
}

func TestPulseFormErrors(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	rd, err := f.db.CreateRound(context.Background(), "Alpha", pulse.Round{Opens: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	target := fmt.Sprintf("/teams/%d/pulse/%d", f.teamA.ID, rd.ID)
	for _, tt := range []struct {
		name   string
		fields url.Values
		want   string
	}{
		{"missing answers", url.Values{"enps": {"9"}}, "connected, uninterrupted_time, meetings_worthwhile: please answer every question"},
		{"Likert 7", url.Values{"enps": {"9"}, "connected": {"7"}, "uninterrupted_time": {"2"}, "meetings_worthwhile": {"3"}}, "connected: 7 is not a Likert answer (1–5)"},
		{"eNPS 11", url.Values{"enps": {"11"}, "connected": {"3"}, "uninterrupted_time": {"2"}, "meetings_worthwhile": {"3"}}, "enps: 11 is not an eNPS answer (0–10)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := f.form(t, "member", target, tt.fields, nil)
			if w.Code != 400 || !strings.Contains(w.Body.String(), `id="form-error">`+tt.want) {
				t.Errorf("= %d, want 400 with %q next to the form", w.Code, tt.want)
			}
		})
	}
	// Alpha has 3 people: below the minimum group size, churn is withheld.
	if page := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/pulse", f.teamA.ID), nil, nil).Body.String(); !strings.Contains(page, `id="churn"`) || !strings.Contains(page, "fewer people than the minimum group size") {
		t.Errorf("pulse page lacks the withheld churn table")
	}
	if page := f.request(t, "member", "GET", fmt.Sprintf("/teams/%d/pulse", f.teamA.ID), nil, nil).Body.String(); strings.Contains(page, `id="churn"`) {
		t.Errorf("a member sees churn")
	}
	w := f.form(t, "lead", fmt.Sprintf("/teams/%d/pulse", f.teamA.ID), url.Values{"opens": {"2026-03-12"}, "closes": {"2026-03-20"}}, nil)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "opens: the round would overlap round") {
		t.Errorf("overlapping round = %d, want 400 naming opens", w.Code)
	}
}

// experimentFixture gives the lead four teams of five and weekly meeting
// hours for them.
func experimentFixture(t *testing.T) *fixture {
	t.Helper()
	f := newSQLiteFixture(t)
	ctx := context.Background()
	u, _, err := f.db.UserByEmail(ctx, "lead@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var samples []metric.Sample
	for i, name := range []string{"Core", "Data", "Edge", "Flow"} {
		var b strings.Builder
		fmt.Fprintf(&b, "team: %s\nmembers:\n", name)
		for j := range 5 {
			fmt.Fprintf(&b, "  - {name: P%d, email: %s%d@example.com, zone: UTC}\n", j, strings.ToLower(name), j)
		}
		tm, err := team.ParseRoster("t.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if tm, err = f.db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
		u.LeadOf = append(u.LeadOf, tm.ID)
		for w := 2; w <= 10; w++ {
			p, _ := metric.ParsePeriod(fmt.Sprintf("2026-W%02d", w))
			samples = append(samples, metric.Sample{Unit: name, Period: p, Values: map[string]float64{metric.MeetingHours: 10 + float64(i) + 0.3*float64(w%3) + 0.2*float64((7*w+3*i)%5)}})
		}
	}
	if err := f.db.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SaveSamples(ctx, "test", samples); err != nil {
		t.Fatal(err)
	}
	f.setNow(time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	return f
}

const experimentBody = `{"name":"Async prep","teams":["Core","Data","Edge","Flow"],"baseline":"2026-01-05/2026-02-01","treatment":"2026-02-09/2026-03-08","outcomes":["meeting_hours"],"seed":7}`

func TestExperimentsAPI(t *testing.T) {
	f := experimentFixture(t)
	code, body := f.jsonReq(t, "lead", "POST", "/api/v1/experiments", experimentBody)
	if code != 201 || !strings.Contains(body, "Low power") || !strings.Contains(body, `"mde_sd":5.36`) {
		t.Fatalf("create = %d %s", code, body)
	}
	if code, body := f.jsonReq(t, "lead of another team", "GET", "/api/v1/experiments/1", ""); code != 403 {
		t.Errorf("another team's lead reads it = %d %s", code, body)
	}
	if _, body := f.jsonReq(t, "lead of another team", "GET", "/api/v1/experiments", ""); !strings.Contains(body, `"experiments":[]`) {
		t.Errorf("another team's lead lists %s", body)
	}
	if code, body := f.jsonReq(t, "lead", "GET", "/api/v1/experiments/1/report", ""); code != 400 || !strings.Contains(body, "assignments: ") {
		t.Errorf("report before assignment = %d %s", code, body)
	}
	if code, body := f.jsonReq(t, "lead", "POST", "/api/v1/experiments/1/assign", ""); code != 200 || strings.Count(body, `"arm":`) != 4 {
		t.Errorf("assign = %d %s", code, body)
	}
	if code, _ := f.jsonReq(t, "admin", "POST", "/api/v1/experiments/1/assign", ""); code != 409 {
		t.Errorf("second assign = %d, want 409", code)
	}
	code, body = f.jsonReq(t, "lead", "GET", "/api/v1/experiments/1/report", "")
	if code != 200 || !strings.Contains(body, `"status":"finished"`) || !strings.Contains(body, `"n_arm":2`) {
		t.Errorf("report = %d %s", code, body)
	}
	bad := []struct {
		name, role, body string
		status           int
		msg              string
	}{
		{"one unit per arm", "lead", `{"name":"X","teams":["Core","Data"],"baseline":"2026-01-05/2026-02-01","treatment":"2026-02-09/2026-03-08","outcomes":["meeting_hours"]}`, 400, "teams: 2 teams take part, but 2 arms need at least 4 teams (2 per arm): with one team per arm"},
		{"overlapping windows", "lead", `{"name":"X","teams":["Core","Data","Edge","Flow"],"baseline":"2026-01-05/2026-02-01","treatment":"2026-01-26/2026-03-08","outcomes":["meeting_hours"]}`, 400, "treatment: the window 2026-01-26/2026-03-08 overlaps"},
		{"bad baseline", "lead", `{"name":"X","teams":["Core"],"baseline":"2026-02-30/2026-03-01","treatment":"2026-04","outcomes":["meeting_hours"]}`, 400, "baseline:"},
		{"unknown team", "lead", `{"name":"X","teams":["Core","Nobody"],"baseline":"2026-01-05/2026-02-01","treatment":"2026-02-09/2026-03-08","outcomes":["meeting_hours"]}`, 400, `teams[1]: team "Nobody" not found`},
		{"a team the lead does not lead", "lead", `{"name":"X","teams":["Core","Data","Edge","Bravo"],"baseline":"2026-01-05/2026-02-01","treatment":"2026-02-09/2026-03-08","outcomes":["meeting_hours"]}`, 403, "teams: only an admin or a lead of every team"},
		{"member", "member", experimentBody, 403, "teams: only an admin"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.jsonReq(t, tt.role, "POST", "/api/v1/experiments", tt.body)
			var e apiError
			json.Unmarshal([]byte(body), &e)
			if code != tt.status || !strings.HasPrefix(e.Error.Message, tt.msg) {
				t.Errorf("= %d %s, want %d %q", code, body, tt.status, tt.msg)
			}
		})
	}
}

func TestExperimentPages(t *testing.T) {
	f := experimentFixture(t)
	fields := url.Values{"name": {"Async prep"}, "team": {"Core", "Data", "Edge", "Flow"}, "units": {"team"}, "stratify": {"size"},
		"arms":           {"control: as usual\nasync prep + 20-min sync: prep in a doc"},
		"baseline_start": {"2026-01-05"}, "baseline_end": {"2026-02-01"}, "treatment_start": {"2026-02-09"}, "treatment_end": {"2026-03-08"},
		"outcomes": {"meeting_hours"}, "seed": {"7"}}
	// A refusal is shown next to the field it names, which is marked
	// invalid, and not again at the top of the form.
	refused := []struct {
		name         string
		edit         func(url.Values)
		field, error string
	}{
		{"overlapping windows", func(v url.Values) { v.Set("treatment_start", "2026-01-20") }, "treatment_start", "treatment: the window 2026-01-20/2026-03-08 overlaps"},
		{"too few teams", func(v url.Values) { v["team"] = []string{"Core", "Data"} }, "teams",
			"teams: 2 teams take part, but 2 arms need at least 4 teams (2 per arm): with one team per arm there is no variation"},
		{"too few people", func(v url.Values) { v["team"] = []string{"Core"}; v.Set("units", "person") }, "teams",
			"teams: the teams taking part have 5 people, but 2 arms need at least 10 people (5 per arm)"},
		{"unknown outcome", func(v url.Values) { v.Set("outcomes", "meeting_hourz") }, "outcomes", `outcomes[0]: no metric "meeting_hourz"`},
		{"bad seed", func(v url.Values) { v.Set("seed", "x") }, "seed", `seed: "x" is not a whole number`},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range fields {
				v[k] = slices.Clone(vs)
			}
			tt.edit(v)
			w := f.form(t, "lead", "/experiments", v, nil)
			page := w.Body.String()
			id := strings.Split(tt.field, "_")[0] + "-error"
			if w.Code != 400 || !strings.Contains(page, `id="`+id+`">`+html.EscapeString(tt.error)) {
				t.Errorf("= %d, want 400 with %q in #%s:\n%s", w.Code, tt.error, id, page)
			}
			if !strings.Contains(page, `id="`+tt.field+`"`) || !regexp.MustCompile(`id="`+tt.field+`"[^>]*aria-invalid="true" aria-describedby="`+id+`"`).MatchString(page) {
				t.Errorf("#%s is not marked invalid and described by #%s", tt.field, id)
			}
			if strings.Contains(page, `id="form-error"`) {
				t.Errorf("the error is also shown at the top of the form")
			}
		})
	}
	w := f.form(t, "lead", "/experiments", fields, nil)
	if w.Code != 303 || w.Header().Get("Location") != "/experiments/1" {
		t.Fatalf("create = %d %s", w.Code, w.Header().Get("Location"))
	}
	if list := f.request(t, "lead", "GET", "/experiments", nil, nil).Body.String(); !strings.Contains(list, ">4 teams</td>") {
		t.Errorf("the experiments list does not count 4 teams:\n%s", list)
	}
	if page := f.request(t, "lead", "GET", "/experiments/1", nil, nil).Body.String(); !strings.Contains(page, " · 4 teams · ") {
		t.Errorf("the experiment page does not count 4 teams:\n%s", page)
	}
	if page := f.request(t, "lead", "GET", "/experiments/1", nil, nil).Body.String(); !strings.Contains(page, `id="assign"`) || !strings.Contains(page, "Low power") {
		t.Errorf("experiment page lacks the assign button or the power warning")
	} else if text := html.UnescapeString(page); !strings.Contains(text, "With 2 and 2 teams per arm, the smallest effect this experiment can detect is about 5.4 standard deviations of a team's change (80% power, 5% level).") ||
		strings.Count(text, "about 5.4") != 1 || strings.Count(text, "standard deviations") != 1 || strings.Contains(text, " SD") {
		t.Errorf("experiment page does not say the smallest detectable effect once, plainly:\n%s", page)
	}
	if w := f.form(t, "lead", "/experiments/1/assign", nil, nil); w.Code != 303 {
		t.Errorf("assign = %d", w.Code)
	}
	page := f.request(t, "lead", "GET", "/experiments/1/report", nil, nil).Body.String()
	if strings.Count(page, "<svg") != 2 || !strings.Contains(page, `id="assignments"`) || !strings.Contains(page, "/static/report.css") {
		t.Errorf("report page has %d charts", strings.Count(page, "<svg"))
	}
	if w := f.request(t, "member", "GET", "/experiments/1/report", nil, nil); w.Code != 403 {
		t.Errorf("member reads the report = %d, want 403", w.Code)
	}
	if w := f.request(t, "anonymous", "GET", "/static/report.css", nil, nil); w.Code != 200 || !strings.Contains(w.Body.String(), ".report") {
		t.Errorf("report.css = %d", w.Code)
	}
}

// TestPulseRoundRefusals: a round wholly in the past is refused unless it
// is for imported answers; more answers than members are refused.
func TestPulseRoundRefusals(t *testing.T) {
	f := newSQLiteFixture(t)
	f.setNow(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	base := fmt.Sprintf("/api/v1/teams/%d/pulse/rounds", f.teamA.ID)
	code, body := f.jsonReq(t, "lead", "POST", base, `{"opens":"2026-02-01","closes":"2026-02-14"}`)
	// The lead's days are on their roster clock, America/St_Johns (UTC-3:30).
	if code != 400 || !strings.Contains(body, "closes: 2026-02-15 03:30 UTC is in the past") {
		t.Errorf("past round = %d %s, want 400", code, body)
	}
	code, body = f.jsonReq(t, "lead", "POST", base, `{"opens":"2026-02-01","closes":"2026-02-14","imported":true}`)
	if code != http.StatusCreated {
		t.Fatalf("past round for import = %d %s", code, body)
	}
	var rd pulse.Round
	json.Unmarshal([]byte(body), &rd)
	w := f.request(t, "admin", "POST", fmt.Sprintf("%s/%d/responses", base, rd.ID), strings.NewReader("enps\n10\n3\n8\n7\n"), nil)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `4 answers would give the round 4 responses, but team \"Alpha\" has 3 members`) {
		t.Errorf("4 answers into a team of 3 = %d %s, want 400", w.Code, w.Body)
	}
}

// TestExperimentsAPIAssignFromCSV: a text/csv body to …/assign adopts an
// existing assignment; one that does not fit is a 400 naming the unit.
func TestExperimentsAPIAssignFromCSV(t *testing.T) {
	f := experimentFixture(t)
	if code, body := f.jsonReq(t, "lead", "POST", "/api/v1/experiments", experimentBody); code != 201 {
		t.Fatalf("create = %d %s", code, body)
	}
	var e struct {
		Experiment struct {
			Arms []struct {
				Name string `json:"name"`
			} `json:"arms"`
			Assignments []struct {
				Unit string `json:"unit"`
				Arm  string `json:"arm"`
			} `json:"assignments"`
		} `json:"experiment"`
	}
	_, body := f.jsonReq(t, "lead", "GET", "/api/v1/experiments/1", "")
	json.Unmarshal([]byte(body), &e)
	control, treated := e.Experiment.Arms[0].Name, e.Experiment.Arms[1].Name
	csvHeader := map[string]string{"Content-Type": "text/csv"}
	bad := f.request(t, "lead", "POST", "/api/v1/experiments/1/assign", strings.NewReader("team,arm\nCore,"+control+"\nData,"+control+"\nEdge,"+treated+"\nNope,"+treated+"\n"), csvHeader)
	if bad.Code != 400 || !strings.Contains(bad.Body.String(), `\"Nope\" is not a unit`) {
		t.Errorf("bad CSV = %d %s", bad.Code, bad.Body)
	}
	w := f.request(t, "lead", "POST", "/api/v1/experiments/1/assign", strings.NewReader("team,arm\nCore,"+treated+"\nData,"+control+"\nEdge,"+treated+"\nFlow,"+control+"\n"), csvHeader)
	if w.Code != 200 {
		t.Fatalf("assign from CSV = %d %s", w.Code, w.Body)
	}
	json.Unmarshal(w.Body.Bytes(), &e)
	got := map[string]string{}
	for _, a := range e.Experiment.Assignments {
		got[a.Unit] = a.Arm
	}
	if got["Core"] != treated || got["Data"] != control || got["Edge"] != treated || got["Flow"] != control {
		t.Errorf("assignments = %v", got)
	}
}
