// Package stats holds the statistics rhythm's reports rest on: rank
// correlations with bootstrap intervals and permutation p-values, a
// two-sample bootstrap for differences of means, the Mann-Whitney test,
// eNPS with its interval, multiple-testing adjustment and power. Every
// random step draws from a seeded source, so a result can be reproduced.
package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Defaults used when an Options field is zero.
const (
	DefaultLevel        = 0.95
	DefaultResamples    = 2000
	DefaultPermutations = 2000
)

// Options tune the resampling methods.
type Options struct {
	// Level is the confidence level of intervals; 0 means 0.95.
	Level float64
	// Resamples is the number of bootstrap resamples; 0 means 2000.
	Resamples int
	// Permutations is the number of permutations for p-values; 0 means 2000.
	Permutations int
	// Seed makes the random draws reproducible.
	Seed uint64
}

func (o Options) withDefaults() Options {
	if o.Level <= 0 || o.Level >= 1 {
		o.Level = DefaultLevel
	}
	if o.Resamples <= 0 {
		o.Resamples = DefaultResamples
	}
	if o.Permutations <= 0 {
		o.Permutations = DefaultPermutations
	}
	return o
}

// NewRand returns a deterministic random source for seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// Interval is a confidence interval at Level. Lo and Hi are NaN when the
// data cannot support an interval; they are then null in JSON.
type Interval struct {
	Lo    float64
	Hi    float64
	Level float64
}

// Defined reports whether both bounds are numbers.
func (iv Interval) Defined() bool { return !math.IsNaN(iv.Lo) && !math.IsNaN(iv.Hi) }

// Contains reports whether v lies within the interval, bounds included.
func (iv Interval) Contains(v float64) bool { return iv.Defined() && iv.Lo <= v && v <= iv.Hi }

// ExcludesZero reports whether the interval lies wholly above or below 0.
func (iv Interval) ExcludesZero() bool { return iv.Defined() && (iv.Lo > 0 || iv.Hi < 0) }

// MarshalJSON writes {"lo":…,"hi":…,"level":…} with null for undefined bounds.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Lo    *float64 `json:"lo"`
		Hi    *float64 `json:"hi"`
		Level float64  `json:"level"`
	}{Num(iv.Lo), Num(iv.Hi), iv.Level})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var v struct {
		Lo, Hi *float64
		Level  float64
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*iv = Interval{Lo: math.NaN(), Hi: math.NaN(), Level: v.Level}
	if v.Lo != nil {
		iv.Lo = *v.Lo
	}
	if v.Hi != nil {
		iv.Hi = *v.Hi
	}
	return nil
}

// Num returns a pointer to f, or nil when f is NaN or infinite, so that
// undefined numbers are null in JSON.
func Num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func undefined(level float64) Interval { return Interval{math.NaN(), math.NaN(), level} }

// Mean returns the arithmetic mean of x, NaN for no values.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return stat.Mean(x, nil)
}

// StdDev returns the sample standard deviation of x, NaN below 2 values.
func StdDev(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	return stat.StdDev(x, nil)
}

// quantile returns the p-quantile of sorted by linear interpolation.
func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return stat.Quantile(p, stat.LinInterp, sorted, nil)
}

// percentile returns the interval between the alpha/2 and 1-alpha/2
// quantiles of draws (which it sorts).
func percentile(draws []float64, alpha, level float64) Interval {
	if len(draws) == 0 {
		return undefined(level)
	}
	slices.Sort(draws)
	return Interval{Lo: quantile(draws, alpha/2), Hi: quantile(draws, 1-alpha/2), Level: level}
}

var stdNormal = distuv.Normal{Mu: 0, Sigma: 1}

// zQuantile returns the p-quantile of the standard normal distribution.
func zQuantile(p float64) float64 { return stdNormal.Quantile(p) }

// tQuantile returns the p-quantile of Student's t with df degrees of freedom.
func tQuantile(p, df float64) float64 {
	if df <= 0 || math.IsNaN(df) {
		return math.NaN()
	}
	if math.IsInf(df, 1) || df > 1e7 {
		return zQuantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// Holm returns Holm–Bonferroni adjusted p-values, in the order given: the
// family-wise error stays at the nominal level however many are tested.
func Holm(p []float64) []float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(p))
	m := len(p)
	running := 0.0
	for k, i := range idx {
		v := math.Min(1, float64(m-k)*p[i])
		running = math.Max(running, v)
		out[i] = running
	}
	return out
}

// MDE returns the minimum detectable effect of a two-sided comparison of
// the means of n1 and n2 independent units, at significance alpha and the
// given power, in standard deviations of one unit's outcome. It uses t
// quantiles with n1+n2-2 degrees of freedom, so it is honest for small
// samples. It is +Inf when either group has fewer than 2 units.
func MDE(n1, n2 int, alpha, power float64) float64 {
	if n1 < 2 || n2 < 2 {
		return math.Inf(1)
	}
	df := float64(n1 + n2 - 2)
	return (tQuantile(1-alpha/2, df) + tQuantile(power, df)) * math.Sqrt(1/float64(n1)+1/float64(n2))
}

// MeanInterval returns the t interval of the mean of x at level, clipped
// to [lo, hi] (the range of the scale). It is undefined below 2 values.
func MeanInterval(x []float64, level, lo, hi float64) Interval {
	if len(x) < 2 {
		return undefined(level)
	}
	m, s := stat.MeanStdDev(x, nil)
	h := tQuantile(1-(1-level)/2, float64(len(x)-1)) * s / math.Sqrt(float64(len(x)))
	return Interval{Lo: math.Max(lo, m-h), Hi: math.Min(hi, m+h), Level: level}
}
