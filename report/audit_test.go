package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// zoneTeam has five people in New York, five in Lisbon and four in Tokyo.
func zoneTeam(t *testing.T, sizes map[string]int, minGroup int) *team.Team {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "team: Privacy\nnorms: {min_group_size: %d, no_meeting_day: wednesday}\nmembers:\n", minGroup)
	for _, z := range []string{"America/New_York", "Europe/Lisbon", "Asia/Tokyo"} {
		for i := range sizes[z] {
			city := strings.ToLower(z[strings.Index(z, "/")+1:])
			fmt.Fprintf(&b, "  - {name: %s %d, email: %s%d@example.com, zone: %s}\n", city, i, city, i, z)
		}
	}
	tm, err := team.ParseRoster("team.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return &tm
}

// traffic is two weeks of meetings and messages of everyone on tm, with
// people who are not on the roster taking part under raw addresses and
// pseudonyms.
func traffic(tm *team.Team) []ingest.Interaction {
	var ins []ingest.Interaction
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	outsiders := []ingest.Participant{{ID: "outsider@else.example"}, {ID: "anon-0123456789ab"}}
	n := len(tm.Members)
	for d := range 14 {
		day := start.AddDate(0, 0, d)
		for i, m := range tm.Members {
			other := tm.Members[(i+1+d)%n]
			at := day.Add(time.Duration(6+(i*3+d)%14) * time.Hour)
			ins = append(ins, ingest.Interaction{
				Source: ingest.SourceICS, ID: fmt.Sprintf("ev-%d-%d", d, i), Mode: ingest.Sync, Kind: ingest.Meeting,
				Start: at, End: at.Add(time.Duration(30+15*(i%5)) * time.Minute), Organizer: m.Email, Recurring: i%3 == 0,
				Participants: append([]ingest.Participant{{ID: m.Email, Member: true}, {ID: other.Email, Member: true}}, outsiders[d%2]),
			})
			thread := fmt.Sprintf("C1/%d.%d", d, i)
			ins = append(ins,
				ingest.Interaction{Source: ingest.SourceSlack, ID: thread, Mode: ingest.Async, Kind: ingest.Message, Start: at.Add(-2 * time.Hour), End: at.Add(-2 * time.Hour),
					Organizer: m.Email, ThreadID: thread, Channel: "general", ChannelKind: ingest.Public, Participants: outsiders},
				ingest.Interaction{Source: ingest.SourceSlack, ID: thread + "r", Mode: ingest.Async, Kind: ingest.Reply, Start: at.Add(90 * time.Minute), End: at.Add(90 * time.Minute),
					Organizer: other.Email, ThreadID: thread, InReplyTo: thread, Channel: "general", ChannelKind: ingest.Public},
				ingest.Interaction{Source: ingest.SourceMbox, ID: fmt.Sprintf("m-%d-%d", d, i), Mode: ingest.Async, Kind: ingest.Email, Start: at.Add(-time.Hour), End: at.Add(-time.Hour),
					Organizer: "outsider@else.example", Participants: []ingest.Participant{{ID: m.Email, Member: true}, {ID: "cc@else.example"}}},
			)
		}
	}
	return ins
}

func render(t *testing.T, tm *team.Team, minGroup int) (*audit.Report, map[string]string) {
	t.Helper()
	a, err := audit.New(tm, audit.Config{Window: audit.Window{From: team.Date{Year: 2026, Month: 3, Day: 2}, To: team.Date{Year: 2026, Month: 3, Day: 15}}, MinGroup: minGroup})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range traffic(tm) {
		a.Add(&in)
	}
	rep := &a.Result().Report
	out := map[string]string{}
	for _, f := range []string{FormatHTML, FormatJSON, FormatCSV} {
		var b bytes.Buffer
		if err := WriteAudit(&b, f, rep); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.String()
	}
	return rep, out
}

func csvRows(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSmallZoneSuppressed(t *testing.T) {
	tm := zoneTeam(t, map[string]int{"America/New_York": 5, "Europe/Lisbon": 5, "Asia/Tokyo": 4}, 5)
	rep, out := render(t, tm, 5)
	if rep.Current.Team.Suppressed {
		t.Fatal("the 14-person team is suppressed")
	}
	t.Run("json", func(t *testing.T) {
		var got audit.Report
		if err := json.Unmarshal([]byte(out[FormatJSON]), &got); err != nil {
			t.Fatal(err)
		}
		var groups []string
		for _, z := range got.Current.Zones {
			groups = append(groups, fmt.Sprintf("%s %v %d", z.Name, z.Zones, z.People))
			if z.People < 5 || z.Name == "Asia/Tokyo" {
				t.Errorf("zone group %s with %d people is shown", z.Name, z.People)
			}
		}
		want := []string{"America/New_York [America/New_York] 5", "Other zones [Asia/Tokyo Europe/Lisbon] 9"}
		if d := cmp.Diff(want, groups); d != "" {
			t.Errorf("zone groups (-want +got):\n%s", d)
		}
		sz := got.Current.SuppressedZones
		if len(sz) == 0 || sz[0].Zone != "Asia/Tokyo" || sz[0].People != 4 || sz[0].Reason != "fewer than 5 people" || sz[0].PooledInto != "Other zones" {
			t.Errorf("suppressed zones = %+v, want Asia/Tokyo with 4 people first", sz)
		}
		for _, h := range got.Current.Heat {
			if h.Group == "Asia/Tokyo" {
				t.Errorf("heat map has a row for Asia/Tokyo")
			}
		}
	})
	t.Run("html", func(t *testing.T) {
		h := out[FormatHTML]
		if !strings.Contains(h, "Asia/Tokyo (4, fewer than 5 people; counted in Other zones)") {
			t.Errorf("HTML does not mark Asia/Tokyo as suppressed")
		}
		for _, bad := range []string{"<tr><td>Asia/Tokyo", ">Asia/Tokyo</text>"} {
			if strings.Contains(h, bad) {
				t.Errorf("HTML shows Asia/Tokyo on its own: %q", bad)
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		var tokyo [][]string
		for _, r := range csvRows(t, out[FormatCSV]) {
			if r[2] == "Asia/Tokyo" {
				tokyo = append(tokyo, r)
			}
		}
		want := [][]string{{"current zone", "2026-03-02..2026-03-15", "Asia/Tokyo", "people", "4", "suppressed: fewer than 5 people; counted in Other zones"}}
		if d := cmp.Diff(want, tokyo); d != "" {
			t.Errorf("Asia/Tokyo rows (-want +got):\n%s", d)
		}
	})
}

func TestSmallTeamSuppressed(t *testing.T) {
	tm := zoneTeam(t, map[string]int{"Europe/Lisbon": 2, "Asia/Tokyo": 2}, 5)
	rep, out := render(t, tm, 5)
	t.Run("json", func(t *testing.T) {
		var got audit.Report
		if err := json.Unmarshal([]byte(out[FormatJSON]), &got); err != nil {
			t.Fatal(err)
		}
		c := got.Current
		if !c.Team.Suppressed || c.Team.People != 4 || c.Team.MeetingHours != 0 || len(c.Weeks) != 0 || len(c.Zones) != 0 || len(c.Heat) != 0 || len(got.Findings) != 0 || got.TeamFigures.Measured {
			t.Errorf("4-person team not suppressed: %+v", c.Team)
		}
		if c.Team.Note != "suppressed: 4 people, fewer than 5" {
			t.Errorf("note = %q", c.Team.Note)
		}
	})
	t.Run("html", func(t *testing.T) {
		h := out[FormatHTML]
		if !strings.Contains(h, `id="team-suppressed"`) || !strings.Contains(h, "The team had 4 people in this period; figures are shown only for groups of at least 5") {
			t.Errorf("HTML does not say the team is suppressed")
		}
		if strings.Contains(h, "<svg") {
			t.Errorf("HTML of a suppressed team has charts")
		}
	})
	t.Run("csv", func(t *testing.T) {
		for _, r := range csvRows(t, out[FormatCSV])[1:] {
			if r[0] != "current" && r[0] != "assumption" || r[0] == "current" && (r[3] != "people" || r[4] != "4" || !strings.HasPrefix(r[5], "suppressed")) {
				t.Errorf("row %q in the CSV of a suppressed team", r)
			}
		}
	})
	if rep.Input.Counted == 0 {
		t.Error("nothing was counted")
	}
}

var address = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+`)

// TestNoAddresses: a group report names nobody, and no address or
// pseudonym of anyone off the roster shows up in it.
func TestNoAddresses(t *testing.T) {
	for _, minGroup := range []int{3, 5} {
		tm := zoneTeam(t, map[string]int{"America/New_York": 5, "Europe/Lisbon": 5, "Asia/Tokyo": 4}, minGroup)
		_, out := render(t, tm, minGroup)
		for f, s := range out {
			t.Run(fmt.Sprintf("%s min %d", f, minGroup), func(t *testing.T) {
				if m := address.FindAllString(s, 5); len(m) > 0 {
					t.Errorf("addresses in the report: %q", m)
				}
				for _, bad := range []string{"anon-", "else.example", "lisbon 1", "tokyo 3"} {
					if strings.Contains(strings.ToLower(s), bad) {
						t.Errorf("report contains %q", bad)
					}
				}
			})
		}
	}
}

// TestChartsAreValidSVG parses every chart of a report as XML and checks
// it draws something.
func TestChartsAreValidSVG(t *testing.T) {
	tm := zoneTeam(t, map[string]int{"America/New_York": 5, "Europe/Lisbon": 5, "Asia/Tokyo": 4}, 3)
	rep, _ := render(t, tm, 3)
	c := AuditChartsOf(&rep.Current)
	for _, ch := range []struct {
		name string
		svg  template.HTML
	}{{"weekly", c.Weekly}, {"ratio", c.Ratio}, {"heat meetings", c.HeatMeetings}, {"heat messages", c.HeatMessages}, {"response", c.Response}, {"focus", c.Focus}, {"burden", c.Burden}} {
		t.Run(ch.name, func(t *testing.T) {
			marks := 0
			dec := xml.NewDecoder(strings.NewReader(string(ch.svg)))
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not valid XML: %v", err)
				}
				if se, ok := tok.(xml.StartElement); ok {
					switch se.Name.Local {
					case "rect", "path", "circle":
						marks++
					}
				}
			}
			if marks < 3 {
				t.Errorf("chart draws %d marks", marks)
			}
			if strings.Contains(string(ch.svg), "style=") {
				t.Errorf("chart uses a style attribute, which a strict Content-Security-Policy blocks")
			}
		})
	}
}

func TestAxis(t *testing.T) {
	tests := []struct {
		max        float64
		top, step  float64
		firstTicks []string
	}{
		{46000, 60000, 20000, []string{"0", "20k", "40k", "60k"}},
		{0.012, 0.015, 0.005, []string{"0", "0.005", "0.010", "0.015"}},
		{7.3, 8, 2, []string{"0", "2", "4", "6"}},
		{9, 10, 2.5, []string{"0", "2.5", "5.0", "7.5"}},
		{0, 1, 0.25, []string{"0", "0.25", "0.50", "0.75"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.max), func(t *testing.T) {
			top, step := niceMax(tt.max)
			var ticks []string
			for i := range 4 {
				ticks = append(ticks, tick(float64(i)*step, step))
			}
			if round2(top*1000) != round2(tt.top*1000) || round2(step*1000) != round2(tt.step*1000) || !cmp.Equal(ticks, tt.firstTicks) {
				t.Errorf("got %v %v %v, want %v %v %v", top, step, ticks, tt.top, tt.step, tt.firstTicks)
			}
		})
	}
}

// TestZoneTableKeepsBurdenDigits: the Time zones table shows the burden
// index and after-hours hours with the digits the burden chart and the
// headline cards show, so ×0.96 and ×1.02 do not both read ×1.
func TestZoneTableKeepsBurdenDigits(t *testing.T) {
	tm := zoneTeam(t, map[string]int{"America/New_York": 5, "Europe/Lisbon": 5, "Asia/Tokyo": 4}, 5)
	rep, _ := render(t, tm, 5)
	if len(rep.Current.Zones) < 2 {
		t.Fatalf("want two zone groups, got %d", len(rep.Current.Zones))
	}
	rep.Current.Zones[0].BurdenIndex, rep.Current.Zones[0].AfterHoursMeetingHours = 0.96, 0.98
	rep.Current.Zones[1].BurdenIndex, rep.Current.Zones[1].AfterHoursMeetingHours = 1.02, 1.1
	var b bytes.Buffer
	if err := AuditHTML(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<td>×0.96</td>", "<td>×1.02</td>", " · 0.98 h/pw</td>", " · 1.1 h/pw</td>", "burden ×0.96", "burden ×1.02"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
