package main

import (
	"bytes"
	"os"
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

// TestHelpNamesOnlyRealFlags: every --flag a command's summary, description
// or example names is a flag of that command, of a parent, or of one of its
// subcommands, so help never points at a flag that does not exist.
func TestHelpNamesOnlyRealFlags(t *testing.T) {
	root := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}).rootCommand()
	flagRE := regexp.MustCompile(`(?:^|[^-\w])--([a-z][\w.-]*[a-z0-9])`)
	known := func(c *cobra.Command, name string) bool {
		if name == "help" || c.Flags().Lookup(name) != nil || c.PersistentFlags().Lookup(name) != nil || c.InheritedFlags().Lookup(name) != nil {
			return true
		}
		found := false
		var walk func(c *cobra.Command)
		walk = func(c *cobra.Command) {
			for _, sub := range c.Commands() {
				if sub.Flags().Lookup(name) != nil {
					found = true
				}
				walk(sub)
			}
		}
		walk(c)
		return found
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Name() == "completion" || sub.Name() == "help" {
				continue
			}
			for _, text := range []string{sub.Short, sub.Long, sub.Example} {
				for _, line := range strings.Split(text, "\n") {
					for _, m := range flagRE.FindAllStringSubmatchIndex(line, -1) {
						// A flag after "rhythm other command" belongs to that command.
						of := sub
						if i := strings.LastIndex(line[:m[0]], "rhythm "); i >= 0 {
							if c, _, err := root.Find(strings.Fields(line[i+len("rhythm ") : m[0]])); err == nil && c != root {
								of = c
							}
						}
						if name := line[m[2]:m[3]]; !known(of, name) {
							t.Errorf("%s: help names --%s, which is no flag of %s", sub.CommandPath(), name, of.CommandPath())
						}
					}
				}
			}
			walk(sub)
		}
	}
	walk(root)
}

// TestFileFreeExamplesRun: the examples of decide and schedule, which read
// only a roster, run as shown against the README's roster (team.yaml).
func TestFileFreeExamplesRun(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("team.yaml", []byte(cliRoster), 0o644); err != nil {
		t.Fatal(err)
	}
	root := newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}).rootCommand()
	for _, path := range [][]string{{"decide"}, {"schedule"}} {
		c, _, err := root.Find(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "rhythm ") || strings.HasSuffix(line, `\`) {
				continue
			}
			args, err := shellWords(strings.TrimPrefix(line, "rhythm "))
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			t.Run(line, func(t *testing.T) {
				if code, _, errs := runCLI(t, "", args...); code != 0 {
					t.Errorf("exit %d: %s", code, errs)
				}
			})
		}
	}
}
