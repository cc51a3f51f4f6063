package rhythm_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rhythm-team/rhythm"
)

func TestErrorCodeAndMessage(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"nil", nil, "", ""},
		{"plain error is internal", errors.New("disk on fire"), rhythm.EINTERNAL, "internal error"},
		{"coded", rhythm.Errorf(rhythm.ENOTFOUND, "team %q not found", "x"), rhythm.ENOTFOUND, `team "x" not found`},
		{"wrapped", fmt.Errorf("loading: %w", rhythm.Errorf(rhythm.EINVALID, "bad")), rhythm.EINVALID, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rhythm.ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if got := rhythm.ErrorMessage(tt.err); got != tt.message {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.message)
			}
		})
	}
}

// TestHTTPStatus: every code answers one status on every HTTP surface.
func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{
		rhythm.EINVALID: 400, rhythm.ENOTFOUND: 404, rhythm.ECONFLICT: 409, rhythm.EUNAUTHORIZED: 401, rhythm.EFORBIDDEN: 403,
		rhythm.ETOOLARGE: 413, rhythm.ETOOMANY: 429, rhythm.EUNAVAILABLE: 503, rhythm.EINTERNAL: 500, "": 500,
	} {
		if got := rhythm.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
}
