package schedule_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/schedule"
)

func TestQueryRequest(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	now := time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		q        schedule.Query
		from, to string // RFC 3339
		with     []string
	}{
		{"dates include the end day, in the first member's zone", schedule.Query{Duration: "30m", Between: []string{"2026-03-30", "2026-04-03"}},
			"2026-03-30T00:00:00+01:00", "2026-04-04T00:00:00+01:00", nil},
		{"local times in the given zone", schedule.Query{Duration: "1h", Zone: "Asia/Tokyo", Between: []string{"2026-03-02T09:00", "2026-03-02 18:00"}},
			"2026-03-02T09:00:00+09:00", "2026-03-02T18:00:00+09:00", nil},
		{"no window: the week from tomorrow", schedule.Query{Duration: "45m", With: []string{"noah@example.com, kenji@example.com"}},
			"2026-03-05T00:00:00-05:00", "2026-03-12T00:00:00-04:00", []string{"noah@example.com", "kenji@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.q.Request(tm, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.From.Format(time.RFC3339); got != tt.from {
				t.Errorf("from = %s, want %s", got, tt.from)
			}
			if got := r.To.Format(time.RFC3339); got != tt.to {
				t.Errorf("to = %s, want %s", got, tt.to)
			}
			if diff := gocmp.Diff(tt.with, r.With); diff != "" {
				t.Errorf("with (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryBadInput(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	tests := []struct {
		name string
		q    schedule.Query
		want string
	}{
		{"no duration", schedule.Query{}, "duration is required"},
		{"bad duration", schedule.Query{Duration: "half an hour"}, `duration: "half an hour" is not a duration`},
		{"reversed", schedule.Query{Duration: "30m", Between: []string{"2026-03-06", "2026-03-02"}}, "between: the end 2026-03-02 is before the start 2026-03-06"},
		{"one bound", schedule.Query{Duration: "30m", Between: []string{"2026-03-06"}}, "between takes a start and an end"},
		{"bad date", schedule.Query{Duration: "30m", Between: []string{"2026-02-30", "2026-03-02"}}, `between: "2026-02-30" is not a date`},
		{"bad zone", schedule.Query{Duration: "30m", Zone: "Mars/Olympus"}, `zone: unknown time zone "Mars/Olympus"`},
		{"unknown member", schedule.Query{Duration: "30m", With: []string{"ana@example.com,zed"}}, `with: "zed" is not on team Triangle`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.q.Request(tm, time.Now())
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Request() error = %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
}

func TestRecordsJSON(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	from := day(t, "2026-01-05", zone(t, "Europe/Lisbon"))
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	recs := s.Records()
	if len(recs) != 5 {
		t.Fatalf("%d records, want 4 instances and a summary", len(recs))
	}
	var first map[string]any
	b, _ := json.Marshal(recs[0])
	if err := json.Unmarshal(b, &first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "n", "slot", "start", "end", "all_inside", "inconvenience", "max_inconvenience", "attendees"} {
		if _, ok := first[k]; !ok {
			t.Errorf("instance record lacks %q: %s", k, b)
		}
	}
	att := first["attendees"].([]any)[1].(map[string]any)
	for _, k := range []string{"email", "name", "zone", "start", "end", "inside", "outside_minutes", "inconvenience"} {
		if _, ok := att[k]; !ok {
			t.Errorf("attendee lacks %q: %v", k, att)
		}
	}
	if !strings.HasSuffix(att["start"].(string), "-05:00") {
		t.Errorf("attendee start %v is not in New York time", att["start"])
	}
	var sum map[string]any
	b, _ = json.Marshal(recs[4])
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "kind", "zone", "duration_minutes", "weeks", "rotation", "members", "gini", "worst_share", "outside_minutes", "inconvenience", "max_inconvenience"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary lacks %q: %s", k, b)
		}
	}
	if sum["type"] != "summary" || sum["kind"] != "series" || sum["duration_minutes"] != 30.0 {
		t.Errorf("summary = %s", b)
	}
	if rot := sum["rotation"].([]any)[0].(map[string]any); rot["weekday"] != "monday" {
		t.Errorf("rotation slot = %v, want a weekday by name", rot)
	}
}
