package team_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

func TestParseRosterRoundTrip(t *testing.T) {
	data, err := os.ReadFile("testdata/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := team.ParseRoster("team.yaml", data)
	if err != nil {
		t.Fatalf("ParseRoster: %v", err)
	}
	if got, want := len(tm.Members), 6; got != want {
		t.Fatalf("members = %d, want %d", got, want)
	}
	if got := tm.Norms.NoMeetingDay.String(); got != "wednesday" {
		t.Errorf("no meeting day = %q, want wednesday", got)
	}
	if got := tm.Norms.MinGroupSize; got != team.DefaultMinGroupSize {
		t.Errorf("min group size = %d, want default %d", got, team.DefaultMinGroupSize)
	}
	if got := tm.Members[5].Days.String(); got != "sun-thu" {
		t.Errorf("days = %q, want sun-thu", got)
	}
	out, err := team.MarshalRoster(tm)
	if err != nil {
		t.Fatal(err)
	}
	again, err := team.ParseRoster("export.yaml", out)
	if err != nil {
		t.Fatalf("re-parse of export: %v\n%s", err, out)
	}
	if diff := cmp.Diff(tm, again); diff != "" {
		t.Errorf("round trip changed the team (-first +second):\n%s\nexport:\n%s", diff, out)
	}
}

func TestParseRosterErrors(t *testing.T) {
	const head = "team: Platform\nmembers:\n"
	tests := []struct {
		name string
		yaml string
		want string // the whole one-line error
	}{
		{"empty file", "", "team.yaml:1: the roster is empty; it needs a team name and members"},
		{"blank file", "\n \n", "team.yaml:1: the roster is empty; it needs a team name and members"},
		{"malformed yaml", "team: [Platform\nmembers: x\n", "team.yaml:"},
		{"unknown field", head + "  - {name: A, email: a@x.org, zone: UTC, colour: red}\n", "team.yaml:3: "},
		{"no team name", "members:\n  - {name: A, email: a@x.org, zone: UTC}\n", "team.yaml:1: team: a team name is required"},
		{"all-digit team name", "team: 2\nmembers:\n  - {name: A, email: a@x.org, zone: UTC}\n",
			`team.yaml:1: team: a team name cannot be all digits ("2"): API paths read digits as a team id`},
		{"no members", "team: Platform\n", "team.yaml:1: members: a team needs at least one member"},
		{"unknown zone", head + "  - {name: A, email: a@x.org, zone: UTC}\n  - {name: B, email: b@x.org, zone: Europe/Pariss}\n",
			`team.yaml:4: members[1].zone: unknown time zone "Europe/Pariss"`},
		{"impossible hours", head + "  - name: A\n    email: a@x.org\n    zone: UTC\n    hours: \"25:00-26:00\"\n",
			`team.yaml:6: members[0].hours: "25:00-26:00" is not a range of hours such as 09:00-17:30 (times run 00:00 to 24:00)`},
		{"malformed hours", head + "  - {name: A, email: a@x.org, zone: UTC, hours: nine-to-five}\n",
			`team.yaml:3: members[0].hours: "nine-to-five" is not a range of hours such as 09:00-17:30 (times run 00:00 to 24:00)`},
		{"empty hours", head + "  - {name: A, email: a@x.org, zone: UTC, hours: \"09:00-09:00\"}\n",
			`team.yaml:3: members[0].hours: "09:00-09:00" is an empty range of hours`},
		{"duplicate email", head + "  - {name: A, email: a@x.org, zone: UTC}\n  - {name: B, email: A@x.org, zone: UTC}\n",
			`team.yaml:4: members[1].email: duplicate email "A@x.org" (also members[0])`},
		{"bad email", head + "  - {name: A, email: not-an-address, zone: UTC}\n",
			`team.yaml:3: members[0].email: "not-an-address" is not an email address`},
		{"bad days", head + "  - {name: A, email: a@x.org, zone: UTC, days: weekdays}\n",
			`team.yaml:3: members[0].days: "weekdays" is not a day list such as mon-fri or mon,wed,fri`},
		{"min group below 3", "team: P\nnorms: {min_group_size: 2}\nmembers:\n  - {name: A, email: a@x.org, zone: UTC}\n",
			"team.yaml:2: norms.min_group_size: must be at least 3, got 2"},
		{"bad response window", "team: P\nnorms: {response_window: soon}\nmembers:\n  - {name: A, email: a@x.org, zone: UTC}\n",
			`team.yaml:2: norms.response_window: "soon" is not a positive duration such as 24h or 45m`},
		{"leave before start", head + "  - {name: A, email: a@x.org, zone: UTC, start: 2026-02-01, leave: 2026-01-01}\n",
			"team.yaml:3: members[0].leave: leave date 2026-01-01 is before start date 2026-02-01"},
		{"tagged scalar where the list belongs", "team: x\nmembers: !0 \n", "team.yaml: malformed YAML"},
		{"zone Local", head + "  - {name: A, email: a@x.org, zone: Local}\n",
			"team.yaml:3: members[0].zone: time zone must be an IANA name such as Europe/Lisbon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := team.ParseRoster("team.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			if strings.Contains(got, "\n") {
				t.Errorf("error spans lines: %q", got)
			}
			if strings.HasSuffix(tt.want, ": ") || strings.HasSuffix(tt.want, ":") || strings.HasSuffix(tt.want, "YAML") {
				if !strings.HasPrefix(got, tt.want) {
					t.Errorf("error = %q, want prefix %q", got, tt.want)
				}
			} else if got != tt.want {
				t.Errorf("error =\n %q\nwant\n %q", got, tt.want)
			}
			if code := rhythm.ErrorCode(err); code != rhythm.EINVALID {
				t.Errorf("code = %q, want invalid", code)
			}
		})
	}
}

func TestParseRosterJSON(t *testing.T) {
	_, err := team.ParseRosterJSON([]byte(`{"team":"P","members":[{"name":"A","email":"a@x.org","zone":"Mars/Olympus"}]}`))
	if got, want := rhythm.ErrorMessage(err), `members[0].zone: unknown time zone "Mars/Olympus"`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	tm, err := team.ParseRosterJSON([]byte(`{"team":"P","members":[{"name":"A","email":"a@x.org","zone":"Asia/Kolkata"}]}`))
	if err != nil || tm.Members[0].Hours != team.DefaultHours {
		t.Errorf("got %+v, %v; want default hours", tm, err)
	}
}

func TestDaysString(t *testing.T) {
	for _, s := range []string{"mon-fri", "sun-thu", "mon,wed,fri", "fri-mon", "sat,sun", "mon-wed,fri", "mon-sun", "tue"} {
		t.Run(s, func(t *testing.T) {
			d, err := team.ParseDays(s)
			if err != nil {
				t.Fatal(err)
			}
			again, err := team.ParseDays(d.String())
			if err != nil || again != d {
				t.Errorf("ParseDays(%q).String() = %q does not round-trip", s, d.String())
			}
		})
	}
	if got := team.WeekdaysMonFri.String(); got != "mon-fri" {
		t.Errorf("mon-fri formats as %q", got)
	}
}

func FuzzParseRoster(f *testing.F) {
	data, _ := os.ReadFile("testdata/team.yaml")
	f.Add(data)
	f.Add([]byte("team: x\nmembers:\n  - {name: a, email: a@b.c, zone: UTC, hours: \"22:00-06:00\"}\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, err := team.ParseRoster("f.yaml", b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		out, err := team.MarshalRoster(tm)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := team.ParseRoster("again.yaml", out); err != nil {
			t.Fatalf("valid roster does not re-parse: %v\n%s", err, out)
		}
	})
}
