package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/pulse"
)

// TestCorrelationCaveatOnce: the text and HTML correlation reports say
// "associations, not causes" once, not once in the heading and again in
// the notes.
func TestCorrelationCaveatOnce(t *testing.T) {
	rep := pulse.CorrelationReport{Caveat: pulse.Caveat, Notes: []string{"Each point is a team-quarter."}}
	var text bytes.Buffer
	if err := CorrelationText(&text, rep); err != nil {
		t.Fatal(err)
	}
	html, err := CorrelationHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "html": string(html)} {
		if n := strings.Count(out, "associations, not causes"); n != 1 {
			t.Errorf("%s report says the caveat %d times:\n%s", name, n, out)
		}
	}
}
