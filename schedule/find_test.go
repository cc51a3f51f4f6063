package schedule_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
)

func TestFindBerlinLondonHasInsideSlot(t *testing.T) {
	tm := roster(t, "berlin-london.yaml")
	berlin := zone(t, "Europe/Berlin")
	from := day(t, "2026-03-02", berlin)
	r, err := schedule.Find(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 5), Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	best := r.Slots[0]
	if !best.AllInside || best.Inconvenience != 0 {
		t.Fatalf("best slot %s: all inside %v, inconvenience %v; want an inside slot", best.Start, best.AllInside, best.Inconvenience)
	}
	// London starts at 09:30 GMT = 10:30 in Berlin: the earliest inside slot.
	if got, want := best.Start.In(berlin).Format("Mon 15:04"), "Mon 10:30"; got != want {
		t.Errorf("best slot starts %s in Berlin, want %s", got, want)
	}
	for _, a := range best.Attendees {
		if !a.Inside || a.Outside != 0 {
			t.Errorf("%s: inside %v, outside %v; want inside", a.Email, a.Inside, a.Outside)
		}
	}
}

func TestFindTriangleHasNoInsideSlot(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	lisbon := zone(t, "Europe/Lisbon")
	from := day(t, "2026-01-05", lisbon)
	r, err := schedule.Find(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7), Top: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if r.Candidates != 7*96-1 { // the last one would end after the window
		t.Errorf("candidates = %d, want %d", r.Candidates, 7*96-1)
	}
	for _, s := range r.Slots {
		if s.AllInside {
			t.Fatalf("slot %s is inside everyone's hours; Lisbon, New York and Tokyo share none", s.Start)
		}
	}
	checkRanked(t, r.Slots)
}

// checkRanked checks the ranking order: everyone inside first, then least
// total, then least maximum, then earliest.
func checkRanked(t *testing.T, slots []schedule.Slot) {
	t.Helper()
	for i := 1; i < len(slots); i++ {
		a, b := slots[i-1], slots[i]
		key := func(s schedule.Slot) []float64 {
			in := 1.0
			if s.AllInside {
				in = 0
			}
			return []float64{in, s.Inconvenience, s.Max, float64(s.Start.Unix())}
		}
		if slices.Compare(key(a), key(b)) > 0 {
			t.Fatalf("slot %d (%s, %v, %v) ranked before slot %d (%s, %v, %v)", i-1, a.Start, a.Inconvenience, a.Max, i, b.Start, b.Inconvenience, b.Max)
		}
	}
}

func TestFindNeverOnNoMeetingDay(t *testing.T) {
	tm := roster(t, "mixed.yaml") // no_meeting_day: wednesday
	from := day(t, "2026-03-02", time.UTC)
	r, err := schedule.Find(schedule.Request{Team: tm, Duration: 45 * time.Minute, From: from, To: from.AddDate(0, 0, 14), Top: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Slots) == 0 || r.Blocked == 0 {
		t.Fatalf("got %d slots, %d blocked; want slots and blocked Wednesdays", len(r.Slots), r.Blocked)
	}
	for _, s := range r.Slots {
		for _, a := range s.Attendees {
			if a.Start.Weekday() == time.Wednesday || a.End.Add(-time.Nanosecond).Weekday() == time.Wednesday {
				t.Fatalf("slot %s falls on Wednesday for %s (%s to %s)", s.Start, a.Email, a.Start, a.End)
			}
		}
	}
	checkRanked(t, r.Slots)
}

func TestFindBusyBlocksSlot(t *testing.T) {
	tm := roster(t, "berlin-london.yaml")
	berlin := zone(t, "Europe/Berlin")
	from := day(t, "2026-03-02", berlin)
	req := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 1), Top: 3}
	free, err := schedule.Find(req)
	if err != nil {
		t.Fatal(err)
	}
	first := free.Slots[0].Start
	// Leo is busy for an hour from 10 minutes after the best slot starts.
	req.Busy = map[string][]team.Interval{"leo@example.com": {{Start: first.Add(10 * time.Minute), End: first.Add(70 * time.Minute)}}}
	busy, err := schedule.Find(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range busy.Slots {
		if s.Start.Before(first.Add(70*time.Minute)) && s.End.After(first.Add(10*time.Minute)) {
			t.Errorf("slot %s overlaps a busy time", s.Start)
		}
	}
	if got, want := busy.Slots[0].Start, first.Add(75*time.Minute); !got.Equal(want) {
		t.Errorf("best slot with busy time = %s, want %s", got, want)
	}
}

func TestFindOddOffsets(t *testing.T) {
	tm := roster(t, "odd-zones.yaml")
	tests := []struct {
		name  string
		from  string
		want  map[string]string // email → local start of the best slot
		start string            // UTC
	}{
		// January: Lord Howe is on +11, so everyone is in from 03:30 UTC
		// (Kolkata 09:00) to 06:00 UTC (Lord Howe 17:00).
		{"lord howe summer time", "2026-01-05", map[string]string{"asha@example.com": "Mon 09:00", "bikash@example.com": "Mon 09:15", "zoe@example.com": "Mon 14:30"}, "2026-01-05T03:30:00Z"},
		// July: Lord Howe is on +10:30 and the overlap ends at 06:30 UTC.
		{"lord howe standard time", "2026-07-06", map[string]string{"asha@example.com": "Mon 09:00", "bikash@example.com": "Mon 09:15", "zoe@example.com": "Mon 14:00"}, "2026-07-06T03:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := day(t, tt.from, time.UTC)
			dur := 150 * time.Minute
			if tt.from >= "2026-07" {
				dur = 180 * time.Minute
			}
			r, err := schedule.Find(schedule.Request{Team: tm, Duration: dur, From: from, To: from.Add(24 * time.Hour), Top: 3})
			if err != nil {
				t.Fatal(err)
			}
			best := r.Slots[0]
			if got := best.Start.Format(time.RFC3339); got != tt.start || !best.AllInside {
				t.Fatalf("best slot %s (all inside %v), want %s inside", got, best.AllInside, tt.start)
			}
			if len(r.Slots) > 1 && r.Slots[1].AllInside {
				t.Errorf("second slot %s is inside too; the overlap is exactly %v long", r.Slots[1].Start, dur)
			}
			got := map[string]string{}
			for _, a := range best.Attendees {
				got[a.Email] = a.Start.Format("Mon 15:04")
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("local starts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindAttendeesMatchTeam(t *testing.T) {
	tm := roster(t, "mixed.yaml")
	from := day(t, "2026-12-21", time.UTC)
	r, err := schedule.Find(schedule.Request{Team: tm, Duration: 50 * time.Minute, From: from, To: from.AddDate(0, 0, 10), Top: 60})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Slots {
		for _, a := range s.Attendees {
			m := member(t, tm, a.Email)
			in := insideMinutes(m, s.Start, 50*time.Minute)
			if got, want := a.Outside, time.Duration(50-in)*time.Minute; got != want {
				t.Errorf("slot %s, %s: outside %v, want %v", s.Start, a.Email, got, want)
			}
			if a.Inside != (in == 50) {
				t.Errorf("slot %s, %s: inside %v, want %v", s.Start, a.Email, a.Inside, in == 50)
			}
			if !a.Start.Equal(s.Start) || a.Start.Location().String() != m.Zone {
				t.Errorf("slot %s, %s: local start %s, want the same instant in %s", s.Start, a.Email, a.Start, m.Zone)
			}
		}
	}
}

func TestFindBadInput(t *testing.T) {
	tm := roster(t, "lisbon-ny-tokyo.yaml")
	from := day(t, "2026-03-02", time.UTC)
	ok := schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from, To: from.AddDate(0, 0, 7)}
	tests := []struct {
		name   string
		change func(r *schedule.Request)
		want   string
	}{
		{"zero duration", func(r *schedule.Request) { r.Duration = 0 }, "duration must be more than 0 and at most 24h"},
		{"over a day", func(r *schedule.Request) { r.Duration = 24*time.Hour + time.Minute }, "duration must be more than 0 and at most 24h"},
		{"seconds", func(r *schedule.Request) { r.Duration = 90 * time.Second }, "duration must be a whole number of minutes"},
		{"unknown member", func(r *schedule.Request) { r.With = []string{"ana@example.com", "zed"} }, `with: "zed" is not on team Triangle`},
		{"no team", func(r *schedule.Request) { r.Team = nil }, "team: the team has no members"},
		{"empty team", func(r *schedule.Request) { r.Team = &team.Team{Name: "Empty"} }, "team: the team has no members"},
		{"reversed window", func(r *schedule.Request) { r.From, r.To = r.To, r.From }, "between: the end"},
		{"window shorter than meeting", func(r *schedule.Request) { r.To = r.From.Add(10 * time.Minute) }, "between: the window (10m0s) is shorter"},
		{"window over a year", func(r *schedule.Request) { r.To = r.From.AddDate(2, 0, 0) }, "between: the window is longer than 366 days"},
		{"busy for a stranger", func(r *schedule.Request) {
			r.Busy = map[string][]team.Interval{"zed@example.com": {{Start: from, End: from.Add(time.Hour)}}}
		}, `busy: unknown member "zed@example.com"`},
		{"bad model", func(r *schedule.Request) { r.Model = schedule.Model{Early: -1} }, "model.early"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.change(&r)
			_, err := schedule.Find(r)
			if err == nil {
				t.Fatalf("Find() succeeded, want an error containing %q", tt.want)
			}
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Find() error = %q (code %s), want one invalid line containing %q", err, rhythm.ErrorCode(err), tt.want)
			}
		})
	}
}

func TestFindEverythingBlocked(t *testing.T) {
	tm := roster(t, "berlin-london.yaml") // no_meeting_day: wednesday
	from := day(t, "2026-03-04", zone(t, "Europe/London"))
	_, err := schedule.Find(schedule.Request{Team: tm, Duration: 30 * time.Minute, From: from.Add(6 * time.Hour), To: from.Add(18 * time.Hour)})
	if rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Fatalf("Find() on a Wednesday = %v, want a not-found error", err)
	}
}

func TestParticipants(t *testing.T) {
	tm := roster(t, "mixed.yaml")
	got, err := schedule.Participants(tm, []string{"Kenji Sato", "U024BE7LH", " ana@example.com ", ""})
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, m := range got {
		emails = append(emails, m.Email)
	}
	if diff := gocmp.Diff([]string{"kenji@example.com", "ana@example.com"}, emails, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Participants (-want +got):\n%s", diff)
	}
	all, err := schedule.Participants(tm, nil)
	if err != nil || len(all) != len(tm.Members) {
		t.Errorf("Participants(nil) = %d members, %v; want all %d", len(all), err, len(tm.Members))
	}
	_ = cmp.Compare(1, 2)
}
