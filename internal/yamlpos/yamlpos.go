// Package yamlpos reads the YAML files people write (rosters, policies,
// playbook templates) strictly, and finds the line an error belongs to, so
// that every message can name file, line and field.
package yamlpos

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

// Decode unmarshals data into v, rejecting unknown fields and duplicate
// keys. A document the decoder cannot handle is an error, never a panic.
func Decode(data []byte, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("malformed YAML that the parser cannot read")
		}
	}()
	return yaml.UnmarshalWithOptions(data, v, yaml.Strict(), yaml.DisallowUnknownField())
}

// Error returns the line (0 when unknown) and a one-line message of an
// error from Decode.
func Error(err error) (line int, msg string) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line = tk.Position.Line
		}
		return line, oneLine(ye.GetMessage())
	}
	return 0, oneLine(err.Error())
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// LineOf returns the line of a field path such as members[2].zone in data,
// or of the nearest enclosing node that exists; 1 when none is found.
func LineOf(data []byte, field string) (line int) {
	defer func() {
		if recover() != nil {
			line = 1
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return 1
	}
	for path := field; path != ""; {
		if p, err := yaml.PathString("$." + path); err == nil {
			if n, err := p.FilterFile(f); err == nil && n != nil && n.GetToken() != nil && n.GetToken().Position != nil {
				return n.GetToken().Position.Line
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 1
}
