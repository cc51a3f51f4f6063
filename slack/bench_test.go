package slack_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/slack"
)

// BenchmarkEvent is one signed message event through verification, the
// use case and the store, on SQLite, users.info cached.
func BenchmarkEvent(b *testing.B) {
	e := newEnv(b, slack.Config{})
	msgs := conversation(b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := serve(e.h.Events, signed(b, slack.PathEvents, jsonType, msgs[i].callback(fmt.Sprint(i)), time.Now()))
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
}
