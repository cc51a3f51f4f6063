package metric

import "testing"

// FuzzRead checks that no file makes the reader panic, and that what it
// accepts is valid.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"team,period,enps\nA,2026-Q1,10\n",
		`[{"unit":"A","period":"2026-W14","values":{"x":1}}]`,
		`{"unit":"A","period":"2026-01-01/2026-02-01","values":{}}`,
		"unit,start,end,x\nA,2026-01-01,2026-01-31,1e308\n",
		"\ufeffteam,period,a,a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		samples, err := Read("f", data)
		if err != nil {
			return
		}
		for _, s := range samples {
			if err := s.Validate(); err != nil {
				t.Errorf("accepted an invalid sample %+v: %v", s, err)
			}
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-Q1", "2026-W53", "2026-02", "2026-01-01/2026-01-02", "2026-01-01..2025-01-01", "9999-W99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.End.Before(p.Start) {
			t.Errorf("%q: ends before it starts", s)
		}
		back, err := ParsePeriod(p.String())
		if err != nil || back != p {
			t.Errorf("%q → %q → %+v, %v", s, p.String(), back, err)
		}
	})
}
