package lint

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/team"
)

var (
	genOnce  sync.Once
	genICS   []byte
	genTeam  *team.Team
	genStart time.Time
	genErr   error
)

// genCalendar is the calendar `rhythm gen --people 500 --weeks 13 --seed 1`
// writes, made once.
func genCalendar(t testing.TB) ([]byte, *team.Team) {
	t.Helper()
	genOnce.Do(func() {
		d, err := gen.New(gen.Config{People: 500, Weeks: 13, Seed: 1})
		if err != nil {
			genErr = err
			return
		}
		var b bytes.Buffer
		if genErr = d.WriteICS(&b); genErr == nil {
			genICS, genTeam, genStart = b.Bytes(), d.Team(), d.Config().Start
		}
	})
	if genErr != nil {
		t.Fatal(genErr)
	}
	return genICS, genTeam
}

// TestGeneratedCalendarLints checks that the calendar `rhythm gen` makes
// for 500 people over 13 weeks reads and lints without error (findings
// are expected: the generator plans across zones like real teams do).
func TestGeneratedCalendarLints(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 500-person calendar")
	}
	data, tm := genCalendar(t)
	from := genStart
	ms, fs := lintFile(t, data, Options{Team: tm, Advisor: &DecideAdvisor{}}, from, from.AddDate(0, 0, 7*13))
	if len(ms) < 500 {
		t.Errorf("%d meetings read, want at least one per person", len(ms))
	}
	rules := map[string]int{}
	for _, f := range fs {
		rules[f.Rule]++
	}
	t.Logf("%d meetings, %d findings: %v", len(ms), len(fs), rules)
}

// BenchmarkLintGenerated measures `rhythm lint` on the generated calendar
// of 500 people over 13 weeks: parse, read the invites, expand, check.
func BenchmarkLintGenerated(b *testing.B) {
	data, tm := genCalendar(b)
	from := genStart
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		lintFile(b, data, Options{Team: tm, Advisor: &DecideAdvisor{}}, from, from.AddDate(0, 0, 7*13))
	}
}
