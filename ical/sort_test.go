package ical

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestSortRecs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, tc := range []struct {
		name  string
		n     int
		span  int64
		ranks int
	}{
		{"empty", 0, 10, 1}, {"one", 1, 10, 1}, {"ties", 500, 5, 3}, {"year", 20000, 365 * 86400, 900},
		{"wide span falls back", 300, 1 << 62, 1 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := make([]rec, tc.n)
			rank := make([]int32, tc.ranks)
			for i := range rank {
				rank[i] = int32(tc.ranks - 1 - i)
			}
			for i := range recs {
				recs[i] = rec{start: r.Int64N(tc.span) - tc.span/2, series: int32(r.IntN(tc.ranks)), rid: r.Int64N(100)}
			}
			want := make([]int32, tc.n)
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				ra, rb := recs[a], recs[b]
				if c := cmp.Compare(ra.start, rb.start); c != 0 {
					return c
				}
				if c := cmp.Compare(rank[ra.series], rank[rb.series]); c != 0 {
					return c
				}
				return cmp.Compare(ra.rid, rb.rid)
			})
			if diff := gocmp.Diff(want, sortRecs(recs, rank)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}
