package slack

import (
	"context"
	"testing"
	"time"
)

// TestLookupsKeepLastAnswerWhenTheAPIFails: an answer past its time is
// asked again, and when the Web API then fails, the last answer is used
// (a Slack user's email stays the one an export would show) without being
// cached anew; a key never answered stays unknown.
func TestLookupsKeepLastAnswerWhenTheAPIFails(t *testing.T) {
	ctx := context.Background()
	c := newLookups[string](time.Nanosecond, 10)
	asked := 0
	up := func() (string, bool) { asked++; return "ana@example.com", true }
	down := func() (string, bool) { asked++; return "", false }
	if got := cachedLookup(ctx, c, "T1/U0ANA", up); got != "ana@example.com" {
		t.Fatalf("first lookup = %q", got)
	}
	time.Sleep(time.Millisecond) // the answer is past its time
	for i := range 2 {
		if got := cachedLookup(ctx, c, "T1/U0ANA", down); got != "ana@example.com" {
			t.Errorf("lookup %d while the API fails = %q, want the last answer", i+2, got)
		}
	}
	if asked != 3 {
		t.Errorf("asked the API %d times, want 3 (a failure is not cached)", asked)
	}
	if got := cachedLookup(ctx, c, "T1/U0NEW", down); got != "" {
		t.Errorf("never-answered lookup while the API fails = %q, want \"\"", got)
	}
}
