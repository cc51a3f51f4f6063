package holiday

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func dates(days []Day) []string {
	var out []string
	for _, d := range days {
		out = append(out, d.String())
	}
	return out
}

func TestBetween(t *testing.T) {
	cases := []struct {
		region, from, to string
		want             []string
	}{
		// Berlin has International Women's Day; Germany as a whole does not.
		{"DE-BE", "2026-03-01", "2026-03-31", []string{"2026-03-08"}},
		{"DE", "2026-03-01", "2026-03-31", nil},
		// Good Friday and Easter Monday 2026, German Unity Day.
		{"de-be", "2026-04-01", "2026-04-30", []string{"2026-04-03", "2026-04-06"}},
		{"DE", "2026-10-03", "2026-10-03", []string{"2026-10-03"}},
		// US Independence Day 2026 falls on a Saturday: observed Friday 3 July.
		{"US", "2026-07-01", "2026-07-31", []string{"2026-07-03"}},
		// New South Wales: Australia Day 2026 on Monday 26 January.
		{"AU-NSW", "2026-01-20", "2026-01-31", []string{"2026-01-26"}},
		// Across a year boundary.
		{"GB", "2026-12-20", "2027-01-05", []string{"2026-12-25", "2026-12-28", "2027-01-01"}},
	}
	for _, c := range cases {
		t.Run(c.region+" "+c.from, func(t *testing.T) {
			got, err := Between(c.region, day(c.from), day(c.to))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, dates(got)); diff != "" {
				t.Errorf("Between(%s, %s, %s) (-want +got):\n%s", c.region, c.from, c.to, diff)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	if got, err := Normalize(" de_by "); err != nil || got != "DE-BY" {
		t.Errorf("Normalize(de_by) = %q, %v", got, err)
	}
	_, err := Normalize("DE-XX")
	if err == nil || !strings.Contains(err.Error(), "DE-BE") || !strings.Contains(err.Error(), `unknown holiday region "DE-XX"`) {
		t.Errorf("Normalize(DE-XX) = %v, want the German regions listed", err)
	}
	_, err = Normalize("Atlantis")
	if err == nil || !strings.Contains(err.Error(), "known countries") || !strings.Contains(err.Error(), "GB") {
		t.Errorf("Normalize(Atlantis) = %v, want the countries listed", err)
	}
	if n := len(Codes()); n < 60 {
		t.Errorf("only %d regions known", n)
	}
}
