package gen_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/team"
)

func dataset(t testing.TB, people, weeks int, seed uint64) *gen.Dataset {
	t.Helper()
	d, err := gen.New(gen.Config{People: people, Weeks: weeks, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func render(t testing.TB, d *gen.Dataset) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, f := range map[string]func(io.Writer) error{
		gen.RosterFile: d.WriteRoster, gen.CalendarFile: d.WriteICS, gen.SlackFile: d.WriteSlack, gen.MboxFile: d.WriteMbox,
	} {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.Bytes()
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := render(t, dataset(t, 12, 2, 7))
	b := render(t, dataset(t, 12, 2, 7))
	c := render(t, dataset(t, 12, 2, 8))
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if name != gen.RosterFile && bytes.Equal(a[name], c[name]) {
			t.Errorf("%s is the same for two seeds", name)
		}
	}
}

func TestRoster(t *testing.T) {
	files := render(t, dataset(t, 30, 1, 1))
	tm, err := team.ParseRoster(gen.RosterFile, files[gen.RosterFile])
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.Members) != 30 {
		t.Errorf("got %d members, want 30", len(tm.Members))
	}
	zones := map[string]bool{}
	for _, m := range tm.Members {
		zones[m.Zone] = true
	}
	if len(zones) < 6 || !zones["Asia/Kolkata"] || !zones["America/St_Johns"] {
		t.Errorf("zones %v: want at least six, with Asia/Kolkata and America/St_Johns", zones)
	}
}

func TestCalendarShape(t *testing.T) {
	ics := string(render(t, dataset(t, 20, 4, 1))[gen.CalendarFile])
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,TH,FR", "PARTSTAT=DECLINED", "CUTYPE=ROOM",
		"RECURRENCE-ID;TZID=", "EXDATE;TZID=", "STATUS:CANCELLED", "BEGIN:VTIMEZONE", "TZID:Asia/Kolkata", "END:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar has no %q", want)
		}
	}
	for i, line := range strings.Split(ics, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line %d is %d octets long", i+1, len(line))
		}
	}
}

func TestBadConfig(t *testing.T) {
	for _, c := range []gen.Config{{People: 1, Weeks: 1}, {People: 10, Weeks: 0}} {
		if _, err := gen.New(c); err == nil {
			t.Errorf("New(%+v) did not fail", c)
		}
	}
}

func BenchmarkSlack(b *testing.B) {
	d := dataset(b, 100, 4, 1)
	for b.Loop() {
		d.WriteSlack(io.Discard)
	}
}

// TestUncompressedSlack checks that an uncompressed export holds the same
// files as the compressed one, stored rather than deflated.
func TestUncompressedSlack(t *testing.T) {
	files := func(uncompressed bool) (map[string]string, int64) {
		d, err := gen.New(gen.Config{People: 6, Weeks: 1, Seed: 3, Uncompressed: uncompressed})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := d.WriteSlack(&b); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range zr.File {
			if want := map[bool]uint16{false: zip.Deflate, true: zip.Store}[uncompressed]; f.Method != want {
				t.Errorf("uncompressed %v: %s has method %d, want %d", uncompressed, f.Name, f.Method, want)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(rc)
			rc.Close()
			out[f.Name] = string(body)
		}
		return out, int64(b.Len())
	}
	deflated, small := files(false)
	stored, big := files(true)
	if diff := cmp.Diff(deflated, stored); diff != "" {
		t.Errorf("files differ (-deflated +stored):\n%s", diff)
	}
	if big <= small {
		t.Errorf("stored export is %d bytes, deflated %d: want it bigger", big, small)
	}
}
