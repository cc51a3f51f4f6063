// Package holiday tells which days are public holidays in a member's
// country or region (a roster's `holidays: DE-BE`), from the holiday
// definitions of github.com/rickar/cal/v2.
package holiday

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
)

// regions is built on first use, not at start-up.
var regions = sync.OnceValue(lists)

// Codes returns every known region code, sorted.
func Codes() []string {
	m := regions()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Normalize returns the canonical form of a region code ("de-be" → "DE-BE")
// or an error that lists the codes of the same country, or all countries.
func Normalize(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	c = strings.ReplaceAll(c, "_", "-")
	if _, ok := regions()[c]; ok {
		return c, nil
	}
	country, _, _ := strings.Cut(c, "-")
	var same []string
	for _, k := range Codes() {
		if k == country || strings.HasPrefix(k, country+"-") {
			same = append(same, k)
		}
	}
	if len(same) > 0 {
		return "", fmt.Errorf("unknown holiday region %q (for %s: %s)", code, country, strings.Join(same, ", "))
	}
	return "", fmt.Errorf("unknown holiday region %q: give a country or country-region code such as DE, DE-BE, GB, US, AU-NSW (known countries: %s)", code, strings.Join(countries(), ", "))
}

func countries() []string {
	var out []string
	for _, k := range Codes() {
		c, _, _ := strings.Cut(k, "-")
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	return slices.Compact(out)
}

// Day is one day off.
type Day struct {
	Year  int
	Month time.Month
	Day   int
	Name  string
}

// String formats the day as YYYY-MM-DD.
func (d Day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Between returns the public holidays of region from the date of from to
// the date of to (both inclusive; only their dates matter), as the days
// people take off: the observed day where a holiday falling on a weekend
// moves. Religious and other observances that are not days off are left out.
func Between(region string, from, to time.Time) ([]Day, error) {
	code, err := Normalize(region)
	if err != nil {
		return nil, err
	}
	first := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	last := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	var out []Day
	for year := first.Year(); year <= last.Year(); year++ {
		for _, h := range regions()[code] {
			if h.Type != cal.ObservancePublic && h.Type != cal.ObservanceBank && h.Type != cal.ObservanceUnknown {
				continue
			}
			_, obs := h.Calc(year)
			if obs.IsZero() {
				continue
			}
			d := time.Date(obs.Year(), obs.Month(), obs.Day(), 0, 0, 0, 0, time.UTC)
			if d.Before(first) || d.After(last) {
				continue
			}
			out = append(out, Day{d.Year(), d.Month(), d.Day(), h.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return slices.CompactFunc(out, func(a, b Day) bool { return a.String() == b.String() }), nil
}
