package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestScheduleOneOffTable(t *testing.T) {
	code, out, errs := runCLI(t, "", "schedule", "--roster", "testdata/bridge.yaml", "--with", "bea@example.com,Leo Hughes",
		"--duration", "30m", "--between", "2026-03-02", "2026-03-06", "--top", "3", "--tz", "Europe/Berlin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Best 3 of", "times in Europe/Berlin", "Bea Krüger", "Europe/London", "1  Mon 2026-03-02 10:30  2/2", "Mon 09:30"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestScheduleWeeklyJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "schedule", "--roster", "testdata/triangle.yaml", "--duration", "30m",
		"--weekly", "10", "--between", "2026-03-02", "2026-03-08", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines, want 10 instances and a summary:\n%s", len(lines), out)
	}
	for i, l := range lines {
		var rec struct {
			Type      string `json:"type"`
			N         int    `json:"n"`
			Start     time.Time
			Attendees []struct {
				Zone  string
				Start time.Time
			}
			Members []struct {
				Email          string
				OutsideMinutes int `json:"outside_minutes"`
			}
			WorstShare float64 `json:"worst_share"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		if i < 10 {
			if rec.Type != "instance" || rec.N != i+1 || len(rec.Attendees) != 3 {
				t.Errorf("line %d = %s, want instance %d with 3 attendees", i+1, l, i+1)
			}
			for _, a := range rec.Attendees {
				if !a.Start.Equal(rec.Start) {
					t.Errorf("line %d: attendee start %s is not the instance %s", i+1, a.Start, rec.Start)
				}
			}
			continue
		}
		if rec.Type != "summary" || len(rec.Members) != 3 || rec.WorstShare > 0.4 {
			t.Errorf("summary = %s, want three members and a worst share of at most 40%%", l)
		}
	}
}

func TestScheduleWeeklyTable(t *testing.T) {
	code, out, errs := runCLI(t, "", "schedule", "--roster", "testdata/triangle.yaml", "--duration", "30m",
		"--weekly", "6", "--between", "2026-01-05,2026-01-11")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"6 weekly instances", "a rotation of 2", "Fairness over the series", "Gini index", "America/New_York", "33%"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestScheduleBadInput(t *testing.T) {
	base := []string{"schedule", "--roster", "testdata/triangle.yaml"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"zero duration", []string{"--duration", "0"}, 2, "duration must be more than 0 and at most 24h"},
		{"over a day", []string{"--duration", "25h"}, 2, "duration must be more than 0 and at most 24h"},
		{"no duration", nil, 2, "--duration is required"},
		{"unknown member", []string{"--duration", "30m", "--with", "ana@example.com,zed"}, 2, `--with: "zed" is not on team Triangle`},
		{"reversed between", []string{"--duration", "30m", "--between", "2026-03-06", "2026-03-02"}, 2, "--between: the end 2026-03-02 is before the start 2026-03-06"},
		{"not a duration", []string{"--duration", "30x"}, 2, `--duration: "30x" is not a duration`},
		{"not a date", []string{"--duration", "30m", "--between", "2026-13-06", "2026-03-07"}, 2, `--between: "2026-13-06" is not a date`},
		{"between without end", []string{"--duration", "30m", "--between", "2026-03-06"}, 2, "--between takes a start and an end"},
		{"weekly zero", []string{"--duration", "30m", "--weekly", "0"}, 2, "--weekly must be between 1 and"},
		{"stray argument", []string{"--duration", "30m", "2026-03-02"}, 2, "unexpected argument"},
		{"bad zone", []string{"--duration", "30m", "--tz", "Europe/Pariss"}, 2, `--tz: unknown time zone "Europe/Pariss"`},
		{"no slot left", []string{"--duration", "30m", "--between", "2026-03-04T10:00", "2026-03-04T12:00"}, 1, "no meeting time left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", append(base, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d and one line containing %q", code, errs, out, tt.code, tt.want)
			}
		})
	}
	for _, roster := range []string{"missing.yaml", "testdata/empty-team.yaml"} {
		code, _, errs := runCLI(t, "", "schedule", "--roster", roster, "--duration", "30m")
		if code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("roster %s: exit %d, stderr %q; want exit 2 and one line", roster, code, errs)
		}
	}
}

// TestScheduleICSReimports writes a series with --ics and reads it back
// with `rhythm ical expand`: the same instants as the plan.
func TestScheduleICSReimports(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sync.ics")
	args := []string{"schedule", "--roster", "testdata/triangle.yaml", "--duration", "30m", "--weekly", "10", "--between", "2026-03-02", "2026-03-08"}
	code, table, errs := runCLI(t, "", append(args, "--ics", out, "--title", "Triangle sync")...)
	if code != 0 || !strings.Contains(table, "Wrote "+out) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, table, errs)
	}
	code, plan, errs := runCLI(t, "", append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(plan), "\n") {
		var rec struct {
			Type       string
			Start, End time.Time
		}
		json.Unmarshal([]byte(l), &rec)
		if rec.Type == "instance" {
			want = append(want, rec.Start.UTC().Format(time.RFC3339)+" "+rec.End.UTC().Format(time.RFC3339))
		}
	}
	code, rows, errs := runCLI(t, "", "ical", "expand", out, "--from", "2026-03-01", "--to", "2026-06-01", "--json")
	if code != 0 {
		t.Fatalf("ical expand: exit %d: %s", code, errs)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(rows), "\n") {
		var row struct{ Start, End, Summary string }
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("row %q: %v", l, err)
		}
		if row.Summary != "Triangle sync" {
			t.Errorf("summary %q, want Triangle sync", row.Summary)
		}
		got = append(got, row.Start+" "+row.End)
	}
	if len(want) != 10 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("re-imported instances:\n%s\nwant the plan:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
