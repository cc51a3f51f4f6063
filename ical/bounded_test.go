package ical

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// seq returns "lo,lo+1,...,hi".
func seq(lo, hi int) string {
	var b strings.Builder
	for i := lo; i <= hi; i++ {
		if i > lo {
			b.WriteByte(',')
		}
		b.WriteString(itoa(i))
	}
	return b.String()
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// pathologicalRule is the rule of issue 16: every second of a year are
// candidates of which BYSETPOS keeps one.
func pathologicalRule(setpos bool) string {
	r := "RRULE:FREQ=YEARLY"
	if setpos {
		r += ";BYSETPOS=-1"
	}
	return r + ";BYMONTH=" + seq(1, 12) + ";BYMONTHDAY=" + seq(1, 31) + ";BYHOUR=" + seq(0, 23) +
		";BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59)
}

// allocatedBy returns the bytes fn allocates.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestPathologicalBySetPosIsBounded(t *testing.T) {
	src := crlf(wrapEvent("UID:bomb", "DTSTART:20260101T000000Z", pathologicalRule(true)))
	c, _ := mustParse(t, src, Options{Name: "bomb.ics"})
	var ins []Instance
	var err error
	n := allocatedBy(func() { ins, err = c.Expand(day(2026, 1, 1), day(2027, 1, 1)) })
	t.Logf("expanding one year allocated %d KB", n>>10)
	if n > 32<<20 {
		t.Errorf("expanding one year allocated %d MB, want under 32 MB", n>>20)
	}
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	if got := starts(ins, c.Zone); len(got) != 2 || got[1] != "2026-12-31 23:59 UTC" {
		t.Errorf("instances = %q, want DTSTART and 2026-12-31 23:59:59", got)
	}
}

func TestPathologicalRuleWithoutSetPosIsRefused(t *testing.T) {
	src := crlf(wrapEvent("UID:bomb", "DTSTART:20260101T000000Z", pathologicalRule(false)))
	c, _ := mustParse(t, src, Options{Name: "bomb.ics"})
	var err error
	n := allocatedBy(func() { _, err = c.Expand(day(2026, 1, 1), day(2027, 1, 1)) })
	t.Logf("refusing the rule allocated %d KB", n>>10)
	if n > 32<<20 {
		t.Errorf("refusing the rule allocated %d MB, want under 32 MB", n>>20)
	}
	var e *Error
	if !errors.As(err, &e) || e.UID != "bomb" || e.Line != 4 || !errors.Is(err, ErrTooExpensive) ||
		!strings.Contains(err.Error(), "rule FREQ=YEARLY;BYSECOND=0,1,2") {
		t.Fatalf("err = %v, want ErrTooExpensive naming event bomb at line 4 and its rule", err)
	}
}

func TestExpandWorkBudgetIsSharedByAllRules(t *testing.T) {
	// Each rule walks ten years of days and never matches: 7,300 units.
	var b strings.Builder
	for i := range 10 {
		b.WriteString("BEGIN:VEVENT\nUID:never-" + itoa(i) + "\nDTSTART:20200101T090000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n")
	}
	c, _ := mustParse(t, crlf(cal(b.String())), Options{Name: "t.ics"})
	from, to := day(2020, 1, 1), day(2030, 1, 1)
	if _, err := c.ExpandWith(from, to, ExpandOptions{MaxWork: 100_000}); err != nil {
		t.Fatalf("ten rules within the budget: %v", err)
	}
	_, err := c.ExpandWith(from, to, ExpandOptions{MaxWork: 50_000})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooExpensive) || !strings.HasPrefix(e.UID, "never-") ||
		!strings.Contains(err.Error(), "rule FREQ=DAILY;BYMONTHDAY=30;BYMONTH=2: recurrence rule too expensive to expand (more than 50000 steps") {
		t.Fatalf("err = %v, want the shared budget exhausted, naming the event and rule", err)
	}
	for i := range 10 {
		one := &Calendar{Events: c.Events[i : i+1], Zone: c.Zone}
		if _, err := one.ExpandWith(from, to, ExpandOptions{MaxWork: 50_000}); err != nil {
			t.Fatalf("one rule alone: %v", err)
		}
	}
}

func TestExpandWorkBudgetStopsABusyRuleBeforeTheWindow(t *testing.T) {
	// With COUNT the rule is walked from DTSTART: 86,400 candidates a day
	// for years before the window.
	src := crlf(wrapEvent("UID:busy", "DTSTART:20000101T000000Z",
		"RRULE:FREQ=DAILY;COUNT=1000000000;BYHOUR="+seq(0, 23)+";BYMINUTE="+seq(0, 59)+";BYSECOND="+seq(0, 59)))
	c, _ := mustParse(t, src, Options{Name: "busy.ics"})
	var err error
	n := allocatedBy(func() { _, err = c.Expand(day(2026, 1, 1), day(2027, 1, 1)) })
	t.Logf("refusing the rule allocated %d KB", n>>10)
	if n > 32<<20 {
		t.Errorf("refusing the rule allocated %d MB, want under 32 MB", n>>20)
	}
	if !errors.Is(err, ErrTooExpensive) || !strings.Contains(err.Error(), `busy.ics:4: event "busy": rule FREQ=DAILY;COUNT=1000000000;`) {
		t.Fatalf("err = %v, want ErrTooExpensive naming the event", err)
	}
}
