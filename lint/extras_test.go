package lint

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestScanExtras(t *testing.T) {
	ics := "\ufeffBEGIN:VCALENDAR\r\n" + // 1
		"VERSION:2.0\r\n" + // 2
		"BEGIN:VEVENT\r\n" + // 3
		"UID:a@x\r\n" + // 4
		"DESCRIPTION;LANGUAGE=en:Purpose: pick the goal\\nPre-read: https://docs.ex\r\n" + // 5
		" ample.com/q2\\, section 2\r\n" + // 6
		"ATTACH;FMTTYPE=application/pdf:https://files.example.com/brief.pdf\r\n" + // 7
		"X-RHYTHM-DECISION-OWNER:ana@example.com\r\n" + // 8
		"CREATED:20260301T090000Z\r\n" + // 9
		"LAST-MODIFIED:20260302T100000Z\r\n" + // 10
		"BEGIN:VALARM\r\n" + // 11
		"DESCRIPTION:Reminder\r\n" + // 12
		"END:VALARM\r\n" + // 13
		"END:VEVENT\r\n" + // 14
		"BEGIN:VEVENT\n" + // 15
		"UID:b@x\n" + // 16
		"X-RHYTHM-PREREAD-AT:2026-03-08T09:00:00+01:00\n" + // 17
		"ORGANIZER;CN=\"Silva: Ana\":mailto:ana@example.com\n" + // 18
		"END:VEVENT\n" + // 19
		"END:VCALENDAR\n"
	got, err := ScanExtras(strings.NewReader(ics))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]*Extras{
		3: {UID: "a@x", Description: "Purpose: pick the goal\nPre-read: https://docs.example.com/q2, section 2", Attach: "https://files.example.com/brief.pdf",
			DecisionOwner: "ana@example.com", Modified: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
		15: {UID: "b@x", PreReadAt: time.Date(2026, 3, 8, 8, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("extras (-want +got):\n%s", diff)
	}
	if n, v := splitProp([]byte(`ORGANIZER;CN="Silva: Ana":mailto:a@x`)); n != "ORGANIZER" || v != "mailto:a@x" {
		t.Errorf("splitProp = %q %q", n, v)
	}
}
