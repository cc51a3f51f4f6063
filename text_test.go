package rhythm_test

import (
	"testing"

	"github.com/rhythm-team/rhythm"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"plain", "Platform", ""},
		{"empty", "", ""},
		{"NUL", "Plat\x00form", "title: holds a NUL byte at offset 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := rhythm.CheckText("title", c.in)
			got := ""
			if err != nil {
				got = rhythm.ErrorMessage(err)
				if rhythm.ErrorCode(err) != rhythm.EINVALID {
					t.Errorf("code %s, want %s", rhythm.ErrorCode(err), rhythm.EINVALID)
				}
			}
			if got != c.want {
				t.Errorf("CheckText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
