package main

import (
	"github.com/rhythm-team/rhythm/internal/suggest"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// configKey is one top-level key of a config file and its line.
type configKey struct {
	name string
	line int
}

// configKeys returns the top-level keys of a YAML config file in order.
func configKeys(data []byte) ([]configKey, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, err
	}
	var keys []configKey
	for _, doc := range f.Docs {
		m, ok := doc.Body.(*ast.MappingNode)
		if !ok {
			if mv, ok := doc.Body.(*ast.MappingValueNode); ok {
				m = &ast.MappingNode{Values: []*ast.MappingValueNode{mv}}
			} else {
				continue
			}
		}
		for _, v := range m.Values {
			keys = append(keys, configKey{name: v.Key.String(), line: v.Key.GetToken().Position.Line})
		}
	}
	return keys, nil
}

// checkConfigKeys refuses a config key that is no flag of any command:
// "rhythm.yaml:3: unknown key "database" (did you mean db?)". A key that
// is a flag of another command is allowed, so one file serves them all.
func checkConfigKeys(root *cobra.Command, path string, data []byte) error {
	keys, err := configKeys(data)
	if err != nil {
		return usagef("%s: %v", path, err)
	}
	known := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) { known[f.Name] = true }
		c.Flags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, k := range keys {
		if known[k.name] && k.name != "config" && k.name != "help" {
			continue
		}
		hint := "keys are flag names, e.g. db, addr"
		if near := nearest(k.name, known); near != "" {
			hint = "did you mean " + near + "?"
		}
		return usagef("%s:%d: unknown key %q (%s)", path, k.line, k.name, hint)
	}
	return nil
}

// nearest returns the known name within two edits of s, if any.
func nearest(s string, known map[string]bool) string {
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	slices.Sort(names)
	best := suggest.Closest(strings.ToLower(s), names)
	if best == "" && strings.Contains(strings.ToLower(s), "database") {
		return "db"
	}
	return best
}
