package audit

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		name string
		vs   []float64
		q    float64
		want float64
	}{
		{"empty", nil, 0.5, 0},
		{"one", []float64{3}, 0.9, 3},
		{"odd median", []float64{5, 1, 3}, 0.5, 3},
		{"even median interpolates", []float64{4, 1, 3, 2}, 0.5, 2.5},
		{"p90 interpolates", []float64{10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.9, 9.1},
		{"ties", []float64{2, 2, 2, 1, 2}, 0.5, 2},
		{"max", []float64{1, 7, 3}, 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quantile(slices.Clone(tt.vs), tt.q); round(got, 9) != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("matches sorting", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 1))
		for range 200 {
			vs := make([]float64, 1+r.IntN(50))
			for i := range vs {
				vs[i] = float64(r.IntN(10))
			}
			sorted := slices.Sorted(slices.Values(vs))
			for _, q := range []float64{0, 0.1, 0.5, 0.9, 1} {
				pos := q * float64(len(vs)-1)
				lo := int(pos)
				want := sorted[lo]
				if lo+1 < len(vs) {
					want += (sorted[lo+1] - sorted[lo]) * (pos - float64(lo))
				}
				if got := quantile(slices.Clone(vs), q); round(got, 9) != round(want, 9) {
					t.Fatalf("quantile(%v, %v) = %v, want %v", vs, q, got, want)
				}
				med := quantile(slices.Clone(vs), 0.5)
				if a, b := quantiles(slices.Clone(vs), q, 0.5); round(a, 9) != round(want, 9) || round(b, 9) != round(med, 9) {
					t.Fatalf("quantiles(%v, %v, 0.5) = %v, %v; want %v, %v", vs, q, a, b, want, med)
				}
			}
		}
	})
}

func TestGini(t *testing.T) {
	tests := []struct {
		name string
		vs   []float64
		want float64
	}{
		{"empty", nil, 0},
		{"all zero", []float64{0, 0, 0}, 0},
		{"equal", []float64{2, 2, 2, 2}, 0},
		{"one carries all of four", []float64{0, 0, 0, 8}, 0.75},
		{"linear", []float64{1, 2, 3, 4}, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := round(gini(slices.Clone(tt.vs)), 9); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
