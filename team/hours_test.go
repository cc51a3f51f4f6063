package team_test

import (
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

func member(t *testing.T, zone, hours, days string) *team.Member {
	t.Helper()
	h, err := team.ParseHours(hours)
	if err != nil {
		t.Fatal(err)
	}
	d, err := team.ParseDays(days)
	if err != nil {
		t.Fatal(err)
	}
	return &team.Member{Name: "M", Email: "m@example.com", Zone: zone, Hours: h, Days: d}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestInWorkingHours(t *testing.T) {
	tests := []struct {
		name              string
		zone, hours, days string
		at                string
		want              bool
	}{
		{"lisbon morning in winter", "Europe/Lisbon", "09:00-17:30", "mon-fri", "2026-01-05T09:00:00Z", true},
		{"lisbon before start", "Europe/Lisbon", "09:00-17:30", "mon-fri", "2026-01-05T08:59:00Z", false},
		{"end is exclusive", "Europe/Lisbon", "09:00-17:30", "mon-fri", "2026-01-05T17:30:00Z", false},
		{"lisbon summer time shifts UTC", "Europe/Lisbon", "09:00-17:30", "mon-fri", "2026-07-06T08:00:00Z", true},
		{"saturday is off", "Europe/Lisbon", "09:00-17:30", "mon-fri", "2026-01-10T10:00:00Z", false},
		{"kathmandu quarter-hour zone", "Asia/Kathmandu", "09:00-17:00", "sun-thu", "2026-01-04T03:15:00Z", true},
		{"kathmandu just before", "Asia/Kathmandu", "09:00-17:00", "sun-thu", "2026-01-04T03:14:00Z", false},
		{"night shift after midnight belongs to previous day", "America/Chicago", "22:00-06:00", "mon-fri", "2026-01-10T11:00:00Z", true},
		{"night shift does not start saturday", "America/Chicago", "22:00-06:00", "mon-fri", "2026-01-11T05:00:00Z", false},
		{"lord howe half-hour DST", "Australia/Lord_Howe", "09:00-17:00", "mon-fri", "2026-01-05T22:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := member(t, tt.zone, tt.hours, tt.days)
			if got := m.InWorkingHours(utc(tt.at)); got != tt.want {
				t.Errorf("InWorkingHours(%s in %s) = %v, want %v", tt.at, tt.zone, got, tt.want)
			}
		})
	}
}

func TestWorkingDuration(t *testing.T) {
	tests := []struct {
		name     string
		m        *team.Member
		from, to string
		want     time.Duration
	}{
		{"friday evening to monday morning", member(t, "America/New_York", "09:00-17:00", "mon-fri"),
			"2026-01-09T22:00:00Z", "2026-01-12T15:00:00Z", time.Hour},
		{"whole week", member(t, "Europe/Berlin", "09:00-17:00", "mon-fri"),
			"2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", 40 * time.Hour},
		{"spring forward day keeps wall hours", member(t, "America/New_York", "00:00-24:00", "sun"),
			"2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z", 23 * time.Hour},
		{"reversed window is empty", member(t, "UTC", "09:00-17:00", "mon-fri"),
			"2026-01-06T00:00:00Z", "2026-01-05T00:00:00Z", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.WorkingDuration(utc(tt.from), utc(tt.to)); got != tt.want {
				t.Errorf("WorkingDuration = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWorksOnRespectsDatesAndHolidays(t *testing.T) {
	m := member(t, "UTC", "09:00-17:00", "mon-fri")
	m.Start = team.Date{Year: 2026, Month: 1, Day: 6}
	m.Leave = team.Date{Year: 2026, Month: 1, Day: 9}
	m.Holidays = []team.Date{{Year: 2026, Month: 1, Day: 7}}
	want := map[int]bool{5: false, 6: true, 7: false, 8: true, 9: true, 12: false}
	for day, w := range want {
		if got := m.WorksOn(team.Date{Year: 2026, Month: 1, Day: day}); got != w {
			t.Errorf("WorksOn(2026-01-%02d) = %v, want %v", day, got, w)
		}
	}
}

func TestLocalTimeGapsAndOverlaps(t *testing.T) {
	tests := []struct {
		name, zone, date string
		minutes          int
		want             string // UTC
	}{
		{"ordinary", "America/New_York", "2026-01-05", 9 * 60, "2026-01-05T14:00:00Z"},
		{"US gap moves forward", "America/New_York", "2026-03-08", 2*60 + 30, "2026-03-08T07:30:00Z"}, // 03:30 EDT
		{"EU gap moves forward", "Europe/Berlin", "2026-03-29", 2*60 + 30, "2026-03-29T01:30:00Z"},    // 03:30 CEST
		{"US overlap takes the first", "America/New_York", "2026-11-01", 60 + 30, "2026-11-01T05:30:00Z"},
		{"EU overlap takes the first", "Europe/Berlin", "2026-10-25", 2*60 + 30, "2026-10-25T00:30:00Z"},
		{"Lord Howe half-hour gap", "Australia/Lord_Howe", "2026-10-04", 2*60 + 15, "2026-10-03T15:45:00Z"}, // 02:45 +11
		{"Lord Howe half-hour overlap takes the first", "Australia/Lord_Howe", "2026-04-05", 60 + 45, "2026-04-04T14:45:00Z"},
		{"24:00 is next midnight", "Asia/Kathmandu", "2026-01-05", 24 * 60, "2026-01-05T18:15:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := team.LoadZone(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := team.ParseDate(tt.date)
			if got := team.LocalTime(d, tt.minutes, loc).UTC(); !got.Equal(utc(tt.want)) {
				t.Errorf("LocalTime = %s, want %s", got.Format(time.RFC3339), tt.want)
			}
		})
	}
}
