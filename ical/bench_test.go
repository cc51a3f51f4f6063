package ical

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/ical/icaltest"
)

var (
	benchOnce sync.Once
	benchICS  []byte
)

// benchCalendar returns the generated 5,000-event calendar.
func benchCalendar(tb testing.TB) []byte {
	tb.Helper()
	benchOnce.Do(func() {
		var b bytes.Buffer
		if err := icaltest.Generate(&b, icaltest.Default); err != nil {
			tb.Fatal(err)
		}
		benchICS = b.Bytes()
	})
	return benchICS
}

var year2026 = [2]time.Time{day(2026, 1, 1), day(2027, 1, 1)}

// BenchmarkExpandYear parses the generated calendar and expands 2026.
func BenchmarkExpandYear(b *testing.B) {
	data := benchCalendar(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		cal, _, err := Parse(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		ins, err := cal.Expand(year2026[0], year2026[1])
		if err != nil {
			b.Fatal(err)
		}
		n = len(ins)
	}
	b.ReportMetric(float64(n), "instances")
}

// BenchmarkExpandYearOnly expands 2026 of an already parsed calendar.
func BenchmarkExpandYearOnly(b *testing.B) {
	cal, _, err := Parse(bytes.NewReader(benchCalendar(b)), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cal.Expand(year2026[0], year2026[1]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandYearSkipBroken is BenchmarkExpandYearOnly as imports
// expand: each series with its own work and held back until whole.
func BenchmarkExpandYearSkipBroken(b *testing.B) {
	cal, _, err := Parse(bytes.NewReader(benchCalendar(b)), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	opt := ExpandOptions{SkipBroken: func(w Warning) { b.Fatalf("skipped: %s", w) }}
	for b.Loop() {
		if _, err := cal.ExpandWith(year2026[0], year2026[1], opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the generated calendar.
func BenchmarkParse(b *testing.B) {
	data := benchCalendar(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchCalendar checks the benchmark input is what it claims to be.
func TestBenchCalendar(t *testing.T) {
	data := benchCalendar(t)
	cal, warns, err := Parse(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns[:min(3, len(warns))])
	}
	masters, overrides := 0, 0
	for _, e := range cal.Events {
		switch {
		case !e.RecurrenceID.IsZero():
			overrides++
		case e.IsRecurring():
			masters++
		}
	}
	if len(cal.Events) != 5000 || masters != 1000 || overrides == 0 {
		t.Errorf("got %d events, %d series, %d overrides; want 5000, 1000, some", len(cal.Events), masters, overrides)
	}
	if len(data) < 2<<20 || len(data) > 4<<20 {
		t.Errorf("calendar is %d bytes, want about 3 MB", len(data))
	}
	ins := mustExpand(t, cal, year2026[0], year2026[1])
	if len(ins) < 10000 {
		t.Errorf("2026 has %d instances, want many", len(ins))
	}
}

// BenchmarkWriteRows writes a year of the generated calendar as NDJSON.
func BenchmarkWriteRows(b *testing.B) {
	cal, _, err := Parse(bytes.NewReader(benchCalendar(b)), Options{})
	if err != nil {
		b.Fatal(err)
	}
	ins, err := cal.Expand(year2026[0], year2026[1])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteRows(io.Discard, ins); err != nil {
			b.Fatal(err)
		}
	}
}
