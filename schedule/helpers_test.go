package schedule_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// roster reads a team from testdata.
func roster(t testing.TB, name string) *team.Team {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := team.ParseRoster(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return &tm
}

// zone loads an IANA zone.
func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// day returns local midnight of a date in loc.
func day(t testing.TB, date string, loc *time.Location) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// member returns a member of tm by email.
func member(t testing.TB, tm *team.Team, id string) *team.Member {
	t.Helper()
	m, ok := tm.Member(id)
	if !ok {
		t.Fatalf("no member %q", id)
	}
	return m
}

// insideMinutes counts the minutes of [start, start+d) in m's working hours,
// using the team package as the reference.
func insideMinutes(m *team.Member, start time.Time, d time.Duration) int {
	n := 0
	for t := start; t.Before(start.Add(d)); t = t.Add(time.Minute) {
		if m.InWorkingHours(t) {
			n++
		}
	}
	return n
}
