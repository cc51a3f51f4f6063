package ical

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// goodEvents are ordinary events around which a broken one is placed: a
// weekly series with a moved and a cancelled instance, a single meeting
// and an all-day day off.
const goodEvents = `BEGIN:VEVENT
UID:weekly
DTSTART;TZID=Europe/Berlin:20260105T100000
DURATION:PT30M
RRULE:FREQ=WEEKLY;BYDAY=MO,TH
EXDATE;TZID=Europe/Berlin:20260112T100000
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20260115T100000
DTSTART;TZID=Europe/Berlin:20260115T140000
DURATION:PT30M
END:VEVENT
BEGIN:VEVENT
UID:single
DTSTART:20260120T150000Z
DTEND:20260120T160000Z
END:VEVENT
BEGIN:VEVENT
UID:dayoff
DTSTART;VALUE=DATE:20260302
DTEND;VALUE=DATE:20260303
END:VEVENT`

// withBroken returns a calendar of goodEvents with bad (VEVENTs) in the
// middle, and the line bad's first VEVENT starts on.
func withBroken(bad string) (string, int) {
	head, tail, _ := strings.Cut(goodEvents, "BEGIN:VEVENT\nUID:single")
	src := cal(head + bad + "\nBEGIN:VEVENT\nUID:single" + tail)
	return crlf(src), 3 + strings.Count(head, "\n") + 1
}

// expandAll lists the instances of [from, to) with opt through Expand,
// Rows and Each (sorted as Expand sorts), failing when they differ.
func expandAll(t *testing.T, c *Calendar, from, to time.Time, opt ExpandOptions) ([]Instance, error) {
	t.Helper()
	ins, err := c.ExpandWith(from, to, opt)
	rs, rerr := c.Rows(from, to, opt)
	var rows []Instance
	if rerr == nil {
		rs.Each(func(in *Instance) error { rows = append(rows, *in); return nil })
	}
	var each []Instance
	eerr := c.Each(from, to, opt, func(in *Instance) error { each = append(each, *in); return nil })
	if (err == nil) != (rerr == nil) || (err == nil) != (eerr == nil) {
		t.Fatalf("ExpandWith err %v, Rows err %v, Each err %v: want the same", err, rerr, eerr)
	}
	if err != nil {
		return nil, err
	}
	SortInstances(each)
	if diff := cmp.Diff(ins, rows); diff != "" {
		t.Errorf("Rows differs from ExpandWith (-expand +rows):\n%s", diff)
	}
	if diff := cmp.Diff(ins, each); diff != "" {
		t.Errorf("Each differs from ExpandWith (-expand +each):\n%s", diff)
	}
	return ins, nil
}

func TestExpandSkipBroken(t *testing.T) {
	from, to := day(2026, 1, 1), day(2027, 1, 1)
	// Each broken event has its UID "bad", starts at the line withBroken
	// reports, and fails the default expansion with why.
	for _, tc := range []struct {
		name string
		bad  string
		opt  ExpandOptions
		why  string
		// onlyUnderSkip: the bound is MaxEventWork, which the default
		// does not have; the event alone fails the default with MaxWork
		// as small.
		onlyUnderSkip bool
	}{
		{
			name: "more instances than one event may have",
			bad:  "BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT",
			why:  "more than 50000 instances in the window; recurrence rule too dense to expand",
		},
		{
			name: "more instances than one event may have, with an override",
			bad: "BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T090000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n" +
				"BEGIN:VEVENT\nUID:bad\nRECURRENCE-ID:20260105T090000Z\nDTSTART:20260105T110000Z\nEND:VEVENT",
			opt: ExpandOptions{MaxInstances: 200},
			why: "more than 200 instances in the window; recurrence rule too dense to expand",
		},
		{
			name: "too many candidates in one period",
			bad:  "BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T000000Z\n" + pathologicalRule(false) + "\nEND:VEVENT",
			why:  "rule FREQ=YEARLY;BYSECOND=",
		},
		{
			name: "a rule that needs more work than one event may take",
			// 8,760 instances, about 17,500 steps; the good events need
			// about 520.
			bad:           "BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T000000Z\nRRULE:FREQ=HOURLY\nEND:VEVENT",
			opt:           ExpandOptions{MaxEventWork: 2000},
			why:           "rule FREQ=HOURLY: recurrence rule too expensive to expand (more than 2000 steps for the rules of one event)",
			onlyUnderSkip: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, line := withBroken(tc.bad)
			c, _ := mustParse(t, src, Options{Name: "p.ics"})
			good, _ := mustParse(t, crlf(cal(goodEvents)), Options{Name: "p.ics"})
			want := mustExpand(t, good, from, to)

			// The default: an error naming the event, and no instances.
			dc, dopt := c, tc.opt
			if tc.onlyUnderSkip {
				var bad []*Event
				for _, ev := range c.Events {
					if ev.UID == "bad" {
						bad = append(bad, ev)
					}
				}
				dc, dopt = &Calendar{Events: bad, Zone: c.Zone}, ExpandOptions{MaxWork: tc.opt.MaxEventWork}
			}
			_, derr := expandAll(t, dc, from, to, dopt)
			var e *Error
			if !errors.As(derr, &e) || e.UID != "bad" || e.Line != line || !tc.onlyUnderSkip && !strings.Contains(e.Err.Error(), tc.why) {
				t.Fatalf("default: err = %v, want an *Error naming event bad at line %d: %s", derr, line, tc.why)
			}

			var warns []Warning
			opt := tc.opt
			opt.SkipBroken = func(w Warning) { warns = append(warns, w) }
			got, err := expandAll(t, c, from, to, opt)
			if err != nil {
				t.Fatalf("SkipBroken: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Instance{}, "Line")); diff != "" {
				t.Errorf("SkipBroken: instances differ from the calendar without the broken event (-want +got):\n%s", diff)
			}
			if len(warns) != 3 { // once for each of ExpandWith, Rows and Each
				t.Fatalf("warnings = %q, want one per expansion", warns)
			}
			w := warns[0]
			if w.Name != "p.ics" || w.Line != line || w.UID != "bad" || !strings.Contains(w.Msg, tc.why) || !strings.HasSuffix(w.Msg, "; event skipped") {
				t.Errorf("warning = %q, want p.ics:%d, event bad, %q, event skipped", w, line, tc.why)
			}
			if !tc.onlyUnderSkip && w.String() != derr.Error()+"; event skipped" {
				t.Errorf("warning = %q, want the default's error %q and \"; event skipped\"", w, derr)
			}
		})
	}
}

// TestExpandSkipBrokenEachListsNoPartialSeries: Each, which lists series
// as they are expanded, lists nothing of a series it then finds broken.
func TestExpandSkipBrokenEachListsNoPartialSeries(t *testing.T) {
	// The 121st instance breaks the bound, after 120 were expanded.
	src, _ := withBroken("BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;COUNT=150\nEND:VEVENT")
	c, _ := mustParse(t, src, Options{Name: "p.ics"})
	var uids []string
	var warns []string
	opt := ExpandOptions{MaxInstances: 120, SkipBroken: func(w Warning) { warns = append(warns, w.String()) }}
	err := c.Each(day(2026, 1, 1), day(2027, 1, 1), opt, func(in *Instance) error {
		if len(uids) == 0 || uids[len(uids)-1] != in.UID {
			uids = append(uids, in.UID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"weekly", "single", "dayoff"}, uids); diff != "" {
		t.Errorf("series listed (-want +got):\n%s", diff)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], `event "bad": more than 120 instances`) {
		t.Errorf("warnings = %q, want event bad skipped", warns)
	}
}

// TestExpandSkipBrokenKeepsTheBoundsOfTheWholeExpansion: under SkipBroken
// what no single event is to blame for is still an error, so that a huge
// calendar of ordinary events, or one with many broken ones, ends in
// bounded time.
func TestExpandSkipBrokenKeepsTheBoundsOfTheWholeExpansion(t *testing.T) {
	from, to := day(2020, 1, 1), day(2040, 1, 1)
	events := func(n int, body string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("BEGIN:VEVENT\nUID:e-" + itoa(i) + "\n" + body + "\nEND:VEVENT\n")
		}
		return crlf(cal(b.String()))
	}
	// Walks twenty years of days, never matching: about 7,300 steps.
	const never = "DTSTART:20200101T090000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"
	for _, tc := range []struct {
		name string
		src  string
		opt  ExpandOptions
		want string
	}{
		{
			name: "ordinary events past the total",
			src:  events(300, "DTSTART:20260105T100000Z"),
			opt:  ExpandOptions{MaxTotal: 200},
			want: "t.ics: more than 200 instances in the window; ask for a shorter one",
		},
		{
			name: "ordinary rules past the shared work",
			src:  events(10, never),
			opt:  ExpandOptions{MaxWork: 50_000, MaxEventWork: 20_000},
			want: "recurrence rule too expensive to expand (more than 50000 steps for the rules of this expansion)",
		},
		{
			name: "broken events whose work adds up past the shared work",
			src:  events(20, never),
			opt:  ExpandOptions{MaxWork: 50_000, MaxEventWork: 5_000},
			want: "recurrence rule too expensive to expand (more than 50000 steps for the rules of this expansion)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := mustParse(t, tc.src, Options{Name: "t.ics"})
			var warns []Warning
			opt := tc.opt
			opt.SkipBroken = func(w Warning) { warns = append(warns, w) }
			_, err := expandAll(t, c, from, to, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestExpandSkipBrokenFreesWhatTheSkippedEventCounted: the instances of
// a left-out event do not count towards MaxTotal, and each event has its
// own work: one that needs much does not starve the others.
func TestExpandSkipBrokenFreesWhatTheSkippedEventCounted(t *testing.T) {
	from, to := day(2026, 1, 1), day(2027, 1, 1)
	t.Run("instances", func(t *testing.T) {
		// 121 daily instances counted before the event is found broken,
		// 105 of the good events: more than 200 together.
		bad := "BEGIN:VEVENT\nUID:bad\nDTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;COUNT=150\nEND:VEVENT\n"
		c, _ := mustParse(t, crlf(cal(bad+goodEvents)), Options{Name: "p.ics"})
		var warns []Warning
		ins, err := expandAll(t, c, from, to, ExpandOptions{MaxInstances: 120, MaxTotal: 200, SkipBroken: func(w Warning) { warns = append(warns, w) }})
		good, _ := mustParse(t, crlf(cal(goodEvents)), Options{Name: "p.ics"})
		want := mustExpand(t, good, from, to)
		if err != nil || len(ins) != len(want) || len(warns) != 3 {
			t.Fatalf("got %d instances, %d warnings, err %v; want %d, one per expansion, nil", len(ins), len(warns), err, len(want))
		}
	})
	t.Run("work", func(t *testing.T) {
		// The broken event comes first, its three rules each walk twenty
		// years of days (7,300 steps); the good ones need 7,311. Without
		// a bound of its own the broken one would leave them too little.
		from, to := day(2020, 1, 1), day(2040, 1, 1)
		bad := "BEGIN:VEVENT\nUID:bad\nDTSTART:20200101T090000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n" +
			"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31\nRRULE:FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31\nEND:VEVENT\n"
		c, _ := mustParse(t, crlf(cal(bad+goodEvents)), Options{Name: "p.ics"})
		good, _ := mustParse(t, crlf(cal(goodEvents)), Options{Name: "p.ics"})
		if _, err := good.ExpandWith(from, to, ExpandOptions{MaxWork: 8000}); err != nil {
			t.Fatalf("the good events alone: %v", err)
		}
		var warns []Warning
		if _, err := c.ExpandWith(from, to, ExpandOptions{MaxWork: 20_000, MaxEventWork: 20_000, SkipBroken: func(Warning) {}}); err == nil {
			t.Fatal("with no bound of its own, the broken event leaves the good ones enough work: the test tests nothing")
		}
		opt := ExpandOptions{MaxWork: 20_000, MaxEventWork: 8000, SkipBroken: func(w Warning) { warns = append(warns, w) }}
		got, err := expandAll(t, c, from, to, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(mustExpand(t, good, from, to), got, cmpopts.IgnoreFields(Instance{}, "Line")); diff != "" {
			t.Errorf("(-without the broken event +got):\n%s", diff)
		}
		if len(warns) != 3 || warns[0].UID != "bad" || !strings.Contains(warns[0].Msg, "more than 8000 steps for the rules of one event") {
			t.Errorf("warnings = %q, want event bad skipped", warns)
		}
	})
}
