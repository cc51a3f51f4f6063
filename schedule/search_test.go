package schedule

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// TestSearchMatchesBruteForce compares the rotation search with an
// exhaustive one over every ordered cycle of up to three candidates, on
// windows small enough to enumerate.
func TestSearchMatchesBruteForce(t *testing.T) {
	tests := []struct {
		file, zone, from string
		hours            int
		weeks            int
	}{
		{"lisbon-ny-tokyo.yaml", "Europe/Lisbon", "2026-01-05", 24, 12},
		{"lisbon-ny-tokyo.yaml", "Europe/Lisbon", "2026-03-02", 24, 10},
		{"lisbon-ny-tokyo.yaml", "Europe/Lisbon", "2026-07-06", 24, 7},
		{"mixed.yaml", "UTC", "2026-03-02", 24, 12},
		{"clock-changes.yaml", "Europe/Berlin", "2026-03-02", 24, 10},
		{"clock-changes.yaml", "Europe/Berlin", "2026-03-02", 12, 11},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s from %s", tt.file, tt.from), func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			tm, err := team.ParseRoster(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			loc, _ := time.LoadLocation(tt.zone)
			from, _ := time.ParseInLocation(time.DateOnly, tt.from, loc)
			p, err := prepare(Request{Team: &tm, Duration: 30 * time.Minute, From: from, To: from.Add(time.Duration(tt.hours) * time.Hour), Weeks: tt.weeks, Zone: loc}, true)
			if err != nil {
				t.Fatal(err)
			}
			d0, cands := p.candidates(true)
			pl, err := p.accumulate(d0, cands)
			if err != nil {
				t.Fatal(err)
			}
			got := pl.s.search(pl.live, pl.outside, pl.lmax, pl.e)
			x, y := make([]float64, pl.s.G), make([]float64, pl.s.G)
			gotScore := pl.s.exact(got, x, y, true, 0)

			var best []int
			var bestScore score
			cyc := make([]int, 0, 3)
			var rec func()
			rec = func() {
				if len(cyc) > 0 {
					sc := pl.s.exact(cyc, x, y, true, 0)
					if best == nil || sc.cmp(bestScore) < 0 {
						best, bestScore = append([]int(nil), cyc...), sc
					}
				}
				if len(cyc) == pl.lmax {
					return
				}
				for _, c := range pl.live {
					cyc = append(cyc, c)
					rec()
					cyc = cyc[:len(cyc)-1]
				}
			}
			rec()
			if gotScore.cmp(bestScore) > 0 {
				t.Errorf("search chose %v with %+v; exhaustive search found %v with %+v", got, gotScore, best, bestScore)
			}
			if math.IsInf(gotScore.gini, 0) {
				t.Errorf("gini not computed for the chosen cycle")
			}
		})
	}
}
