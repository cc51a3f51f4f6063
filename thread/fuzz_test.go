package thread

import (
	"encoding/json"
	"testing"
)

// FuzzNewThread checks that no thread or decision input panics, and that
// every thread accepted is due after now.
func FuzzNewThread(f *testing.F) {
	f.Add([]byte(`{"title":"T","owner":"Ana Silva","participants":["U024BE7LH"],"due_by":"2026-03-11T12:00:00+05:45","link":"https://x.example"}`))
	f.Add([]byte(`{"what":"W","why":"Y","owner":"kenji@example.com","date":"2026-03-10","thread_id":3,"close":true}`))
	tm := testTeam(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var n NewThread
		if json.Unmarshal(data, &n) == nil {
			if th, err := n.Validate(tm, "x@example.com", now); err == nil && !th.DueBy.After(now) {
				t.Errorf("accepted a due-by %s not after now", th.DueBy)
			}
		}
		var d NewDecision
		if json.Unmarshal(data, &d) == nil {
			d.Validate(tm, "x@example.com", now)
		}
	})
}
