package suggest

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"meeting_hours", "focus_hours", "enps", "db"}
	for in, want := range map[string]string{
		"meeting_hourz": "meeting_hours",
		"focus_hour":    "focus_hours",
		"enpss":         "enps",
		"dbb":           "db",
		"churn":         "",
		"":              "db",
	} {
		if got := Closest(in, names); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance(kitten, sitting) = %d, want 3", d)
	}
}
