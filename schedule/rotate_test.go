package schedule_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/schedule"
)

func TestRotateTriangleSpreadsTheBurden(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	lisbon := zone(t, "Europe/Lisbon")
	for _, start := range []string{"2026-01-05", "2026-11-02"} {
		for _, weeks := range []int{6, 12, 52} {
			t.Run(fmt.Sprintf("%s %d weeks", start, weeks), func(t *testing.T) {
				from := day(t, start, lisbon)
				s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: weeks})
				if err != nil {
					t.Fatal(err)
				}
				if s.AllInside {
					t.Fatal("series is inside everyone's hours; Lisbon, New York and Tokyo share none")
				}
				if len(s.Rotation) < 2 {
					t.Errorf("rotation has %d slot(s), want a rotation", len(s.Rotation))
				}
				var total, worst time.Duration
				for _, b := range s.Members {
					total += b.Outside
					worst = max(worst, b.Outside)
				}
				if share := float64(worst) / float64(total); share > 0.40 {
					t.Errorf("worst member carries %.0f%% of %v outside working hours, want at most 40%%", share*100, total)
				}
				if math.Abs(s.WorstShare-float64(worst)/float64(total)) > 0.001 {
					t.Errorf("WorstShare = %v, want %v", s.WorstShare, float64(worst)/float64(total))
				}
				checkSeries(t, s)
			})
		}
	}
}

// checkSeries checks that a series adds up: instance i uses rotation slot
// i mod n at the slot's wall time in the anchor zone; the members' burdens
// are the sums over instances; the summary figures match them.
func checkSeries(t *testing.T, s *schedule.Series) {
	t.Helper()
	anchor := zone(t, s.Zone)
	if len(s.Instances) != s.Weeks {
		t.Fatalf("%d instances, want %d", len(s.Instances), s.Weeks)
	}
	outside := map[string]time.Duration{}
	points := map[string]float64{}
	count := make([]int, len(s.Rotation))
	for i, in := range s.Instances {
		if in.N != i+1 || in.Turn != i%len(s.Rotation) {
			t.Fatalf("instance %d: n %d, slot %d; want %d, %d", i, in.N, in.Turn, i+1, i%len(s.Rotation))
		}
		count[in.Turn]++
		slot := s.Rotation[in.Turn]
		local := in.Start.In(anchor)
		if local.Weekday() != slot.Weekday || local.Format("15:04") != slot.Clock {
			t.Errorf("instance %d starts %s in %s, want %s %s", in.N, local.Format("Mon 15:04"), s.Zone, slot.Weekday, slot.Clock)
		}
		if want := slot.First.AddDate(0, 0, 7*(i-in.Turn)); !sameWall(local, want.In(anchor)) {
			t.Errorf("instance %d starts %s, want the wall time %s", in.N, local, want)
		}
		if in.End.Sub(in.Start) != s.Duration {
			t.Errorf("instance %d lasts %v, want %v", in.N, in.End.Sub(in.Start), s.Duration)
		}
		for _, a := range in.Attendees {
			outside[a.Email] += a.Outside
			points[a.Email] += a.Inconvenience
			if !a.Start.Equal(in.Start) || a.Start.Location().String() != a.Zone {
				t.Errorf("instance %d, %s: local start %s is not the instance in %s", in.N, a.Email, a.Start, a.Zone)
			}
		}
	}
	var mx, total float64
	var all, hrs []float64
	for i, b := range s.Members {
		if b.Outside != outside[b.Email] {
			t.Errorf("%s: outside %v, want the sum over instances %v", b.Email, b.Outside, outside[b.Email])
		}
		if math.Abs(b.Inconvenience-points[b.Email]) > 0.001*float64(s.Weeks) {
			t.Errorf("%s: inconvenience %v, want the sum over instances %v", b.Email, b.Inconvenience, points[b.Email])
		}
		mx = max(mx, b.Inconvenience)
		total += b.Inconvenience
		all = append(all, b.Inconvenience)
		hrs = append(hrs, b.Outside.Hours())
		_ = i
	}
	if math.Abs(s.Max-mx) > 0.01 || math.Abs(s.Inconvenience-total) > 0.01 {
		t.Errorf("max %v, total %v; want %v, %v", s.Max, s.Inconvenience, mx, total)
	}
	if g := schedule.Gini(hrs, nil); math.Abs(g-s.Gini) > 0.01 {
		t.Errorf("gini %v, want %v", s.Gini, g)
	}
	if g := schedule.Gini(all, nil); math.Abs(g-s.InconvenienceGini) > 0.01 {
		t.Errorf("inconvenience gini %v, want %v", s.InconvenienceGini, g)
	}
	for j, r := range s.Rotation {
		if r.Instances != count[j] {
			t.Errorf("rotation slot %d: %d instances, want %d", j, r.Instances, count[j])
		}
	}
}

func sameWall(a, b time.Time) bool { return a.Format(time.DateTime) == b.Format(time.DateTime) }

func TestRotateBerlinLondonStaysInside(t *testing.T) {
	tm := roster(t, "berlin-london.yaml")
	from := day(t, "2026-03-02", zone(t, "Europe/Berlin"))
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 12})
	if err != nil {
		t.Fatal(err)
	}
	if !s.AllInside || len(s.Rotation) != 1 || s.Gini != 0 || s.Inconvenience != 0 {
		t.Fatalf("series: all inside %v, %d slots, gini %v, inconvenience %v; want one inside slot", s.AllInside, len(s.Rotation), s.Gini, s.Inconvenience)
	}
	for _, b := range s.Members {
		if b.Outside != 0 {
			t.Errorf("%s: %v outside working hours, want none", b.Email, b.Outside)
		}
	}
	checkSeries(t, s)
}

// TestRotateAcrossClockChanges plans ten weeks of one fixed slot (Monday
// 15:00 in Berlin) across the US change (2026-03-08), the EU change
// (2026-03-29) and the Australian ones (2026-04-05, Lord Howe by half an
// hour), and checks every member's local time in every week.
func TestRotateAcrossClockChanges(t *testing.T) {
	tm := roster(t, "clock-changes.yaml")
	berlin := zone(t, "Europe/Berlin")
	from := time.Date(2026, 3, 2, 15, 0, 0, 0, berlin)
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.Add(30 * time.Minute), Weeks: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, s)
	got := map[string][]string{}
	for _, in := range s.Instances {
		for _, a := range in.Attendees {
			got[a.Email] = append(got[a.Email], a.Start.Format("Jan 2 15:04"))
		}
	}
	want := map[string][]string{
		"bea@example.com": {"Mar 2 15:00", "Mar 9 15:00", "Mar 16 15:00", "Mar 23 15:00", "Mar 30 15:00", "Apr 6 15:00", "Apr 13 15:00", "Apr 20 15:00", "Apr 27 15:00", "May 4 15:00"},
		// New York moves to EDT on Mar 8 (5 hours behind Berlin), Berlin
		// to CEST on Mar 29 (6 hours again).
		"noah@example.com": {"Mar 2 09:00", "Mar 9 10:00", "Mar 16 10:00", "Mar 23 10:00", "Mar 30 09:00", "Apr 6 09:00", "Apr 13 09:00", "Apr 20 09:00", "Apr 27 09:00", "May 4 09:00"},
		// Sydney leaves AEDT on Apr 5: 10, then 9, then 8 hours ahead.
		"sam@example.com": {"Mar 3 01:00", "Mar 10 01:00", "Mar 17 01:00", "Mar 24 01:00", "Mar 31 00:00", "Apr 6 23:00", "Apr 13 23:00", "Apr 20 23:00", "Apr 27 23:00", "May 4 23:00"},
		// Lord Howe goes from +11 to +10:30 on Apr 5.
		"zoe@example.com": {"Mar 3 01:00", "Mar 10 01:00", "Mar 17 01:00", "Mar 24 01:00", "Mar 31 00:00", "Apr 6 23:30", "Apr 13 23:30", "Apr 20 23:30", "Apr 27 23:30", "May 4 23:30"},
		// Kathmandu has no clock changes: 4:45 ahead of CET, 3:45 of CEST.
		"bikash@example.com": {"Mar 2 19:45", "Mar 9 19:45", "Mar 16 19:45", "Mar 23 19:45", "Mar 30 18:45", "Apr 6 18:45", "Apr 13 18:45", "Apr 20 18:45", "Apr 27 18:45", "May 4 18:45"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("local start times (-want +got):\n%s", diff)
	}
	// Noah starts at 09:00 except in the three weeks between the changes,
	// when the same slot is 10:00 for him: inside every week either way.
	// Bikash's evening starts at 17:00: 19:45 costs him more than 18:45.
	for _, b := range s.Members {
		if b.Email == "noah@example.com" && b.Outside != 0 {
			t.Errorf("noah: %v outside, want none", b.Outside)
		}
	}
	var before, after float64
	for _, in := range s.Instances {
		for _, a := range in.Attendees {
			if a.Email != "bikash@example.com" {
				continue
			}
			if in.N == 1 {
				before = a.Inconvenience
			}
			if in.N == 10 {
				after = a.Inconvenience
			}
		}
	}
	if !(after < before) {
		t.Errorf("bikash: inconvenience %v at 19:45, %v at 18:45; want less at 18:45", before, after)
	}
}

func TestRotateLordHoweRotation(t *testing.T) {
	tm := roster(t, "clock-changes.yaml")
	lh := zone(t, "Australia/Lord_Howe")
	from := day(t, "2026-03-02", lh)
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 10, Zone: lh})
	if err != nil {
		t.Fatal(err)
	}
	if s.Zone != "Australia/Lord_Howe" {
		t.Errorf("anchor zone %s, want Australia/Lord_Howe", s.Zone)
	}
	checkSeries(t, s)
	// Lord Howe is 10 hours ahead of Berlin until Mar 29, 9 until Apr 5,
	// then 8:30.
	for _, in := range s.Instances {
		var zoe, bea time.Time
		for _, a := range in.Attendees {
			switch a.Email {
			case "zoe@example.com":
				zoe = a.Start
			case "bea@example.com":
				bea = a.Start
			}
		}
		wall := func(t time.Time) time.Time {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		}
		want := 10 * time.Hour
		switch {
		case !in.Start.Before(time.Date(2026, 4, 4, 15, 0, 0, 0, time.UTC)):
			want = 8*time.Hour + 30*time.Minute
		case !in.Start.Before(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)):
			want = 9 * time.Hour
		}
		if got := wall(zoe).Sub(wall(bea)); got != want {
			t.Errorf("instance %d (%s): Lord Howe is %v ahead of Berlin, want %v", in.N, in.Start, got, want)
		}
	}
	def, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 2})
	if err != nil {
		t.Fatal(err)
	}
	if def.Zone != "Europe/Berlin" {
		t.Errorf("default anchor zone %s, want the first member's, Europe/Berlin", def.Zone)
	}
}

func TestRotateNeverOnNoMeetingDay(t *testing.T) {
	tm := roster(t, "mixed.yaml")
	from := day(t, "2026-03-02", time.UTC)
	s, err := schedule.Rotate(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 30, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range s.Instances {
		for _, a := range in.Attendees {
			if a.Start.Weekday() == time.Wednesday || a.End.Add(-time.Nanosecond).Weekday() == time.Wednesday {
				t.Errorf("instance %d falls on Wednesday for %s (%s)", in.N, a.Email, a.Start)
			}
		}
	}
	checkSeries(t, s)
}

func TestRotateBadInput(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	from := day(t, "2026-03-02", time.UTC)
	ok := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Weeks: 4}
	tests := []struct {
		name   string
		change func(r *schedule.Request)
		want   string
	}{
		{"no weeks", func(r *schedule.Request) { r.Weeks = 0 }, "weekly must be between 1 and 260"},
		{"too many weeks", func(r *schedule.Request) { r.Weeks = 1000 }, "weekly must be between 1 and 260"},
		{"rotation too long", func(r *schedule.Request) { r.Rotation = 5 }, "rotation must be between 1 and 4"},
		{"zero duration", func(r *schedule.Request) { r.Duration = 0 }, "duration must be more than 0"},
		{"unknown member", func(r *schedule.Request) { r.With = []string{"nobody"} }, `with: "nobody" is not on team Triangle`},
		{"reversed window", func(r *schedule.Request) { r.From, r.To = r.To, r.From }, "between: the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.change(&r)
			_, err := schedule.Rotate(r)
			if err == nil || rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Rotate() error = %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
}

func TestGini(t *testing.T) {
	tests := []struct {
		name string
		x, w []float64
		want float64
	}{
		{"empty", nil, nil, 0},
		{"all zero", []float64{0, 0, 0}, nil, 0},
		{"equal", []float64{3, 3, 3}, nil, 0},
		{"one of four holds all", []float64{0, 0, 0, 8}, nil, 0.75},
		{"two values", []float64{1, 3}, nil, 0.25},
		{"weights count members", []float64{0, 8}, []float64{3, 1}, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := schedule.Gini(tt.x, tt.w); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Gini(%v, %v) = %v, want %v", tt.x, tt.w, got, tt.want)
			}
		})
	}
}
