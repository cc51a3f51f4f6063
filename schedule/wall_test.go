package schedule

import (
	"testing"
	"time"
)

func TestWallTime(t *testing.T) {
	tests := []struct {
		name, zone string
		y          int
		m          time.Month
		d, clock   int
		want       string // UTC
	}{
		{"ordinary", "Europe/Berlin", 2026, 1, 5, 9 * 60, "2026-01-05T08:00:00Z"},
		{"new york gap moves forward", "America/New_York", 2026, 3, 8, 2*60 + 30, "2026-03-08T07:30:00Z"},
		{"new york overlap takes first", "America/New_York", 2026, 11, 1, 60 + 30, "2026-11-01T05:30:00Z"},
		{"berlin gap moves forward", "Europe/Berlin", 2026, 3, 29, 2*60 + 30, "2026-03-29T01:30:00Z"},
		{"berlin overlap takes first", "Europe/Berlin", 2026, 10, 25, 2*60 + 30, "2026-10-25T00:30:00Z"},
		{"lord howe half-hour overlap takes first", "Australia/Lord_Howe", 2026, 4, 5, 60 + 45, "2026-04-04T14:45:00Z"},
		{"lord howe half-hour gap", "Australia/Lord_Howe", 2026, 10, 4, 2*60 + 15, "2026-10-03T15:45:00Z"},
		{"day overflow", "UTC", 2026, 1, 32, 0, "2026-02-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			got := wallTime(tt.y, tt.m, tt.d, tt.clock, loc).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("wallTime(%d-%02d-%02d %02d:%02d %s) = %s, want %s", tt.y, tt.m, tt.d, tt.clock/60, tt.clock%60, tt.zone, got, tt.want)
			}
		})
	}
}
