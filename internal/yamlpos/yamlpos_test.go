package yamlpos_test

import (
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/internal/yamlpos"
)

const doc = `team: x
members:
  - name: a
    zone: UTC
  - name: b
    zone: Mars
`

func TestLineOf(t *testing.T) {
	tests := []struct {
		field string
		want  int
	}{
		{"team", 1},
		{"members", 3}, // the list, where its value starts
		{"members[1].zone", 6},
		{"members[1].missing", 5}, // the nearest enclosing node
		{"members[7].zone", 3},
		{"nothing", 1},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if got := yamlpos.LineOf([]byte(doc), tt.field); got != tt.want {
				t.Errorf("LineOf(%q) = %d, want %d", tt.field, got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	var v struct {
		Team string `yaml:"team"`
	}
	tests := []struct {
		name, data string
		line       int
	}{
		{"unknown field", "team: x\ncolour: red\n", 2},
		{"syntax", "team: [x\n", 1},
		{"duplicate key", "team: x\nteam: y\n", 2},
		{"decoder panic is an error", "members: !0 \n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := yamlpos.Decode([]byte(tt.data), &v)
			if err == nil {
				t.Fatal("no error")
			}
			line, msg := yamlpos.Error(err)
			if tt.line != 0 && line != tt.line {
				t.Errorf("line = %d, want %d (%s)", line, tt.line, msg)
			}
			if msg == "" || strings.Contains(msg, "\n") {
				t.Errorf("message %q is empty or spans lines", msg)
			}
		})
	}
}
