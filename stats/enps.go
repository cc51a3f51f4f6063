package stats

import (
	"math"

	"github.com/rhythm-team/rhythm"
)

// NetPromoter is an eNPS result: % promoters (9–10) minus % detractors
// (0–6), from -100 to 100, with its interval.
type NetPromoter struct {
	N          int      `json:"n"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	Score      float64  `json:"score"`
	CI         Interval `json:"ci"`
}

// ENPS computes eNPS from 0–10 answers. The interval uses the variance
// formula of a difference of two multinomial shares,
// Var(P-D) = (P + D - (P-D)²)/n, after adding one pseudo-answer to each of
// promoters, passives and detractors (in the spirit of Agresti and Caffo's
// "add ones"): the plain formula covers the truth only 40–90% of the time
// for the 5–20 answers a team gives, the adjusted one 92–98% (see
// TestENPSIntervalCoverage). The interval is clipped to [-100, 100]. With
// no answers the score is 0 and the interval undefined.
func ENPS(scores []int, level float64) (NetPromoter, error) {
	if level <= 0 || level >= 1 {
		level = DefaultLevel
	}
	var r NetPromoter
	for i, s := range scores {
		switch {
		case s < 0 || s > 10:
			return NetPromoter{}, rhythm.Errorf(rhythm.EINVALID, "enps: answer %d is %d; eNPS answers run from 0 to 10", i+1, s)
		case s >= 9:
			r.Promoters++
		case s >= 7:
			r.Passives++
		default:
			r.Detractors++
		}
	}
	r.N = len(scores)
	if r.N == 0 {
		r.CI = undefined(level)
		return r, nil
	}
	n := float64(r.N)
	r.Score = 100 * (float64(r.Promoters) - float64(r.Detractors)) / n
	m := n + 3
	p, d := (float64(r.Promoters)+1)/m, (float64(r.Detractors)+1)/m
	e := p - d
	h := zQuantile(1-(1-level)/2) * math.Sqrt((p+d-e*e)/m)
	r.CI = Interval{Lo: 100 * math.Max(-1, e-h), Hi: 100 * math.Min(1, e+h), Level: level}
	return r, nil
}
