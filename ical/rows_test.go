package ical

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRowsWriteNDJSONEqualsWriteRows: the NDJSON written straight from the
// compact records is byte for byte what WriteRows writes from Expand's
// Instances, for the generated 5,000-event calendar and every fixture
// (all-day events, DATE recurrence ids, overrides, floating times), in
// windows read in several zones.
func TestRowsWriteNDJSONEqualsWriteRows(t *testing.T) {
	inputs := map[string][]byte{"generated": benchCalendar(t)}
	files, _ := filepath.Glob("testdata/*.ics")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = b
	}
	if len(inputs) < 5 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, data := range inputs {
		cal, _, err := Parse(bytes.NewReader(data), Options{Name: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, zone := range []string{"UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns"} {
			loc, _ := time.LoadLocation(zone)
			from, to := time.Date(2019, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
			if name == "generated" {
				from = time.Date(2026, 1, 1, 0, 0, 0, 0, loc) // the year it is made for
			}
			ins, err := cal.Expand(from, to)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var want, got bytes.Buffer
			if err := WriteRows(&want, ins); err != nil {
				t.Fatal(err)
			}
			rows, err := cal.Rows(from, to, ExpandOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rows.Len() != len(ins) {
				t.Errorf("%s in %s: Rows has %d instances, Expand %d", name, zone, rows.Len(), len(ins))
			}
			if err := rows.WriteNDJSON(&got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), got.String()); diff != "" {
				t.Errorf("%s in %s: WriteNDJSON differs from WriteRows (-want +got):\n%.3000s", name, zone, diff)
			}
			var each []Instance
			rows.Each(func(in *Instance) error { each = append(each, *in); return nil })
			if !cmp.Equal(ins, each) {
				t.Errorf("%s in %s: Rows.Each differs from Expand", name, zone)
			}
		}
	}
}
