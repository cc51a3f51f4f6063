package pulse

import (
	"bytes"
	"testing"
)

// FuzzReadResponsesCSV checks that no file makes the importer panic, and
// that every response it accepts passes the survey's checks.
func FuzzReadResponsesCSV(f *testing.F) {
	for _, s := range []string{
		"enps,connected\n9,4\n",
		"enps,I feel connected to my team.\n10,\n,5\n",
		"email,enps\nx,1\n",
		"enps\n99999999999999999999\n",
	} {
		f.Add([]byte(s))
	}
	s := DefaultSurvey()
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ReadResponsesCSV("f", bytes.NewReader(data), s)
		if err != nil {
			return
		}
		for _, a := range rs {
			if err := s.Check(a, false); err != nil {
				t.Errorf("accepted %v: %v", a, err)
			}
		}
	})
}
