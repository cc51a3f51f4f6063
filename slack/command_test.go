package slack

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/decide"
)

func TestParseCommand(t *testing.T) {
	for text, want := range map[string]Command{
		"":                           {Name: "help"},
		"  HELP ":                    {Name: "help"},
		"decide status update":       {Name: "decide", Text: "status update"},
		"waiting":                    {Name: "waiting"},
		"decision We ship on Friday": {Name: "decision", Text: "We ship on Friday"},
	} {
		got, err := ParseCommand(text)
		if err != nil || got != want {
			t.Errorf("ParseCommand(%q) = %+v, %v; want %+v", text, got, err, want)
		}
	}
	if _, err := ParseCommand("deploy prod"); err == nil || !strings.Contains(err.Error(), "decide, thread, waiting") {
		t.Errorf("an unknown command: %v", err)
	}
	if h := Help(); !strings.Contains(h, "/rhythm thread <title> @a @b due 2d") {
		t.Errorf("help lacks the thread usage:\n%s", h)
	}
}

func TestParseThread(t *testing.T) {
	cases := []struct {
		text string
		want ThreadArgs
		err  string
	}{
		{"Q3 roadmap comments <@U024BE7LH|ana> <@U0G9QF9C6> due 2d", ThreadArgs{
			Title: "Q3 roadmap comments", People: []Mention{{"U024BE7LH", "ana"}, {"U0G9QF9C6", ""}}, Due: 48 * time.Hour}, ""},
		{"Review the RFC @ana @kenji.sato due in 3 days", ThreadArgs{
			Title: "Review the RFC", People: []Mention{{"", "ana"}, {"", "kenji.sato"}}, Due: 72 * time.Hour}, ""},
		{"\"Naming\" <@U1ABC> due 4h", ThreadArgs{Title: "Naming", People: []Mention{{"U1ABC", ""}}, Due: 4 * time.Hour}, ""},
		{"Is this due soon? <@U1ABC>", ThreadArgs{Title: "Is this due soon?", People: []Mention{{"U1ABC", ""}}}, ""},
		{"<@U1ABC> due 2d", ThreadArgs{}, "give a title"},
		{"Lonely title due 2d", ThreadArgs{}, "@mentions"},
		{"Title <@U1ABC> due 0d", ThreadArgs{}, "positive duration"},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			got, err := ParseThread(c.text)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	got, err := ParseTime("<@U1|ana> <@U2|kenji> 45m")
	if err != nil || got.Duration != 45*time.Minute || len(got.People) != 2 {
		t.Fatalf("ParseTime = %+v, %v", got, err)
	}
	if got, _ := ParseTime("<@U1>"); got.Duration != 30*time.Minute {
		t.Errorf("default length %v, want 30m", got.Duration)
	}
	for _, bad := range []string{"", "<@U1> forever", "<@U1> 12h"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestGuessDecide(t *testing.T) {
	pol, err := decide.DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	clear := GuessDecide(pol, "status update to 7 people in 4 zones, due in 2 days")
	if len(clear.Missing) != 0 || clear.Input.Stakeholders != 7 || clear.Input.Zones != 4 ||
		clear.Input.Urgency != 48*time.Hour || pol.PurposeName(clear.Input.Purpose) == "" {
		t.Fatalf("a clear text: %+v", clear)
	}
	if _, err := decide.Decide(clear.Input); err != nil {
		t.Fatalf("the guessed input does not decide: %v", err)
	}
	vague := GuessDecide(pol, "the thing with marketing")
	if diff := cmp.Diff([]string{"purpose", "people", "time zones", "urgency"}, vague.Missing); diff != "" {
		t.Errorf("a vague text: missing (-want +got):\n%s", diff)
	}
	urgent := GuessDecide(pol, "production incident, 3 people, 2 time zones, urgent")
	if len(urgent.Missing) != 0 || urgent.Input.Urgency != decide.UrgencyNow {
		t.Errorf("an urgent text: %+v", urgent)
	}
}
