package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpListsEachCommandOnce checks that `rhythm --help` names every
// command exactly once.
func TestHelpListsEachCommandOnce(t *testing.T) {
	code, out, errOut := runCLI(t, "", "--help")
	if code != 0 {
		t.Fatalf("rhythm --help: exit %d, stderr %s", code, errOut)
	}
	_, list, ok := strings.Cut(out, "Available Commands:")
	if !ok {
		t.Fatalf("no command list in:\n%s", out)
	}
	list, _, _ = strings.Cut(list, "\n\n")
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		seen[strings.Fields(line)[0]]++
	}
	root := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}).rootCommand()
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			if n := seen[c.Name()]; n != 1 {
				t.Errorf("--help lists %q %d times, want once", c.Name(), n)
			}
		})
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("--help lists %q %d times, want once", name, n)
		}
	}
}

// TestEveryCommandHasSummaryAndExample walks the command tree: each
// command has a one-line summary and an example of its use.
func TestEveryCommandHasSummaryAndExample(t *testing.T) {
	root := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}).rootCommand()
	names := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.Name() == "completion" || sub.Name() == "help" {
				continue
			}
			path := sub.CommandPath()
			if names[path] {
				t.Errorf("%s is registered twice", path)
			}
			names[path] = true
			t.Run(strings.ReplaceAll(path, " ", "_"), func(t *testing.T) {
				if s := sub.Short; strings.TrimSpace(s) == "" || strings.Contains(s, "\n") {
					t.Errorf("Short = %q, want one non-empty line", s)
				}
				if !regexp.MustCompile(`\brhythm ` + regexp.QuoteMeta(strings.TrimPrefix(path, "rhythm ")) + `\b`).MatchString(sub.Example) {
					t.Errorf("Example = %q, want a line running %q", sub.Example, path)
				}
			})
			walk(sub)
		}
	}
	walk(root)
}
