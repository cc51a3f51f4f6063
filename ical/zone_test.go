package ical

import (
	"testing"
	"time"
)

// TestTZTable compares the fast offset table with Go's zone data, also
// past the zone data's last explicit transition.
func TestTZTable(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "UTC", "Pacific/Apia"} {
		t.Run(name, func(t *testing.T) {
			loc := mustLoad(t, name)
			tab := newTZTable(loc)
			for at := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2230; at = at.Add(7*time.Hour + 13*time.Minute) {
				_, want := at.In(loc).Zone()
				if got := tab.offsetAt(at.Unix()); got != int64(want) {
					t.Fatalf("offset at %s = %d, want %d", at.Format(time.RFC3339), got, want)
				}
			}
		})
	}
}

func TestToUTC(t *testing.T) {
	tests := []struct {
		zone, wall, want string
	}{
		{"America/New_York", "2026-03-08T02:30:00", "2026-03-08T07:30:00Z"}, // gap: 03:30 EDT
		{"America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z"}, // overlap: EDT
		{"Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T01:30:00Z"},    // gap: 03:30 CEST
		{"Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z"},    // overlap: CEST
		{"Australia/Lord_Howe", "2026-10-04T02:15:00", "2026-10-03T15:45:00Z"},
		{"Australia/Lord_Howe", "2026-04-05T01:45:00", "2026-04-04T14:45:00Z"},
		{"Pacific/Apia", "2011-12-30T12:00:00", "2011-12-30T22:00:00Z"}, // the skipped day: a day later
		{"Asia/Kolkata", "2026-01-01T00:00:00", "2025-12-31T18:30:00Z"},
		{"Europe/Berlin", "2150-07-01T12:00:00", "2150-07-01T10:00:00Z"},
		{"Europe/Berlin", "2250-07-01T12:00:00", "2250-07-01T10:00:00Z"}, // beyond the table
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.wall, func(t *testing.T) {
			w, err := time.Parse("2006-01-02T15:04:05", tc.wall)
			if err != nil {
				t.Fatal(err)
			}
			loc := mustLoad(t, tc.zone)
			for _, tab := range []*tzTable{newTZTable(loc), {loc: loc}} {
				got := time.Unix(tab.toUTC(w.Unix()), 0).UTC().Format(time.RFC3339)
				if got != tc.want {
					t.Errorf("toUTC (table of %d changes) = %s, want %s", len(tab.trans), got, tc.want)
				}
			}
		})
	}
}
