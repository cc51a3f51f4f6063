package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The README is tested as written: every "$ rhythm …" line of its ```sh
// blocks runs in order through run() in one temporary folder with a fresh
// database, and the lines shown under a command are its expected output.
// In expected output "…" stands for any text, and a line of only "…" for
// any lines. A command whose output begins "rhythm: " must fail, any other
// must succeed, unless "$ echo $?" follows it with the exit code it must
// end with on the next line (lint exits 1 on an error finding). Every
// command runs as of readmeToday, the day the examples are set in. An HTML
// comment just before a block steers it:
//
//	<!-- readme: file NAME -->  the block is written as file NAME, there
//	<!-- readme: skip REASON --> the block is not run (say why)

// readmeStep is one command of the README and the output it shows.
type readmeStep struct {
	line int      // README line of the command
	args []string // after "rhythm"
	out  string   // file the stdout is redirected to, if any
	want []string // shown output lines
	exit *int     // the exit code a following "$ echo $?" shows, if any
}

// readmeToday is the clock the README's commands run on: its examples
// schedule rounds and runs after it and read data from before it.
var readmeToday = time.Date(2026, time.March, 30, 9, 0, 0, 0, time.UTC)

// readmeFile is a block written as a file, at its place in the README: a
// later block of the same name replaces it from there on.
type readmeFile struct{ name, content string }

// readmeDoc is what the README asks for, in order: files and steps.
type readmeDoc struct {
	steps []readmeStep
	order []any // readmeFile or readmeStep
}

var fenceRE = regexp.MustCompile("^```(\\w*)")

// parseReadme reads the README's runnable blocks.
func parseReadme(data []byte) (readmeDoc, error) {
	var doc readmeDoc
	sc := bufio.NewScanner(bytes.NewReader(data))
	var (
		n         int
		directive string
		inBlock   bool
		lang      string
		block     []string
		start     int
	)
	for sc.Scan() {
		n++
		line := sc.Text()
		if !inBlock {
			if m := fenceRE.FindStringSubmatch(line); m != nil {
				inBlock, lang, block, start = true, m[1], nil, n
				continue
			}
			if d, ok := strings.CutPrefix(strings.TrimSpace(line), "<!-- readme:"); ok {
				directive = strings.TrimSpace(strings.TrimSuffix(d, "-->"))
			} else if strings.TrimSpace(line) != "" {
				directive = ""
			}
			continue
		}
		if !strings.HasPrefix(line, "```") {
			block = append(block, line)
			continue
		}
		inBlock = false
		switch {
		case strings.HasPrefix(directive, "skip"):
		case strings.HasPrefix(directive, "file "):
			name := strings.TrimSpace(strings.TrimPrefix(directive, "file "))
			doc.order = append(doc.order, readmeFile{name, strings.Join(block, "\n") + "\n"})
		case lang == "sh" || lang == "console" || lang == "":
			steps, err := parseSteps(start, block)
			if err != nil {
				return doc, err
			}
			for _, s := range steps {
				doc.steps = append(doc.steps, s)
				doc.order = append(doc.order, s)
			}
		}
		directive = ""
	}
	return doc, sc.Err()
}

// parseSteps reads the "$ rhythm …" commands of one block (continued with
// a trailing backslash) and the output lines under each.
func parseSteps(start int, block []string) ([]readmeStep, error) {
	var steps []readmeStep
	var cur *readmeStep
	for i := 0; i < len(block); i++ {
		line := block[i]
		cmd, isCmd := strings.CutPrefix(line, "$ ")
		if !isCmd {
			if cur != nil {
				cur.want = append(cur.want, line)
			}
			continue
		}
		at := start + 1 + i
		if strings.TrimSpace(cmd) == "echo $?" {
			code, err := echoedExit(cur, block, i)
			if err != nil {
				return nil, fmt.Errorf("README.md:%d: %v", at, err)
			}
			cur.exit, cur = &code, nil
			i++
			continue
		}
		for strings.HasSuffix(cmd, "\\") && i+1 < len(block) {
			i++
			cmd = strings.TrimSuffix(cmd, "\\") + " " + strings.TrimSpace(block[i])
		}
		cur = nil
		words, err := shellWords(cmd)
		if err != nil {
			return nil, fmt.Errorf("README.md:%d: %v", at, err)
		}
		if len(words) == 0 || words[0] != "rhythm" {
			continue // another tool's command: not run
		}
		s := readmeStep{line: at, args: words[1:]}
		for j, w := range s.args {
			if w == ">" && j+1 < len(s.args) {
				s.out = s.args[j+1]
				s.args = s.args[:j]
				break
			}
		}
		steps = append(steps, s)
		cur = &steps[len(steps)-1]
	}
	return steps, nil
}

// echoedExit reads the exit code that "$ echo $?" at block[i] shows for
// the rhythm command cur before it.
func echoedExit(cur *readmeStep, block []string, i int) (int, error) {
	if cur == nil {
		return 0, fmt.Errorf("echo $? follows no rhythm command")
	}
	if i+1 >= len(block) {
		return 0, fmt.Errorf("echo $? shows no exit code")
	}
	code, err := strconv.Atoi(strings.TrimSpace(block[i+1]))
	if err != nil {
		return 0, fmt.Errorf("echo $? shows %q, not an exit code", block[i+1])
	}
	return code, nil
}

// shellWords splits a command line as sh would for plain words, quotes
// and a trailing # comment.
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return words, nil
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// matchOutput reports whether got matches the shown lines, "…" being any
// text and a line of "…" any lines.
func matchOutput(want []string, got string) bool {
	var pat strings.Builder
	pat.WriteString(`(?s)\A`)
	for _, w := range want {
		w = strings.TrimRight(w, " ")
		if strings.TrimSpace(w) == "…" {
			pat.WriteString(`(?:.*\n)?`)
			continue
		}
		parts := strings.Split(w, "…")
		for i, p := range parts {
			if i > 0 {
				pat.WriteString(`[^\n]*`)
			}
			pat.WriteString(regexp.QuoteMeta(p))
		}
		pat.WriteString(`[ \t]*\n`)
	}
	return regexp.MustCompile(pat.String()).MatchString(got)
}

// runReadme runs the document in dir and returns one message per failure.
func runReadme(t *testing.T, doc readmeDoc, dir string) []string {
	t.Helper()
	var fails []string
	for _, o := range doc.order {
		switch o := o.(type) {
		case readmeFile:
			if err := os.WriteFile(filepath.Join(dir, o.name), []byte(o.content), 0o644); err != nil {
				t.Fatal(err)
			}
		case readmeStep:
			var out, errb bytes.Buffer
			code := run(context.Background(), o.args, strings.NewReader(""), &out, &errb)
			got := out.String() + errb.String()
			if o.out != "" {
				os.WriteFile(filepath.Join(dir, o.out), out.Bytes(), 0o644)
				got = errb.String()
			}
			if f := checkStep(o, code, got, errb.String()); f != "" {
				fails = append(fails, f)
			}
		}
	}
	return fails
}

// checkStep compares what a command did with what the README shows: its
// exit code, then its output. It returns the failure, or "".
func checkStep(o readmeStep, code int, got, stderr string) string {
	at := fmt.Sprintf("README.md:%d: rhythm %s", o.line, strings.Join(o.args, " "))
	wantErr := len(o.want) > 0 && strings.HasPrefix(o.want[0], "rhythm: ")
	switch {
	case o.exit != nil && code != *o.exit:
		return fmt.Sprintf("%s: exit %d, want %d: %s", at, code, *o.exit, strings.TrimSpace(stderr))
	case o.exit == nil && wantErr && code == 0:
		return at + ": exit 0, want an error"
	case o.exit == nil && !wantErr && code != 0:
		return fmt.Sprintf("%s: exit %d: %s", at, code, strings.TrimSpace(stderr))
	case len(o.want) > 0 && !matchOutput(o.want, got):
		return fmt.Sprintf("%s: output\n%s\ndoes not match the README's\n%s", at, got, strings.Join(o.want, "\n"))
	}
	return ""
}

// TestReadme runs README.md's examples against a fresh database.
func TestReadme(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every README example")
	}
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseReadme(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("RHYTHM_DB", filepath.Join(dir, "rhythm.db"))
	saved := cliNow
	cliNow = func() time.Time { return readmeToday }
	t.Cleanup(func() { cliNow = saved })
	for _, f := range runReadme(t, doc, dir) {
		t.Error(f)
	}
}

// TestReadmeHarness: the harness fails on a command that no longer works
// and on output that no longer matches, and passes a README that is true.
func TestReadmeHarness(t *testing.T) {
	const roster = "<!-- readme: file team.yaml -->\n```yaml\nteam: Mini\nmembers:\n  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}\n```\n"
	tests := []struct {
		name, readme string
		fails        int
	}{
		{"true", roster + "```sh\n$ rhythm team import team.yaml\ncreated team \"Mini\" (id 1) with 1 members\n$ rhythm team list\nID  TEAM  MEMBERS\n…\n```\n", 0},
		{"output changed", roster + "```sh\n$ rhythm team import team.yaml\ncreated team \"Mini\" (id 1) with 2 members\n```\n", 1},
		{"command broken", roster + "```sh\n$ rhythm team import --no-such-flag team.yaml\n```\n", 1},
		{"error expected but none", roster + "```sh\n$ rhythm team import team.yaml\nrhythm: team.yaml:3: …\n```\n", 1},
		{"skipped block", roster + "<!-- readme: skip needs a server -->\n```sh\n$ rhythm nonsense\n```\n", 0},
		{"file replaced later", roster + "```sh\n$ rhythm team import team.yaml\ncreated team \"Mini\" (id 1) with 1 members\n```\n" +
			"<!-- readme: file team.yaml -->\n```yaml\nteam: Mini\nmembers:\n  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon}\n  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo}\n```\n" +
			"```sh\n$ rhythm team import team.yaml\nupdated team \"Mini\" (id 1) with 2 members\n```\n", 0},
		{"exit code shown", roster + "```sh\n$ rhythm team import missing.yaml\nrhythm: …\n$ echo $?\n2\n```\n", 0},
		{"wrong exit code", roster + "```sh\n$ rhythm team import team.yaml\n$ echo $?\n1\n```\n", 1},
		{"wildcards", roster + "```sh\n$ rhythm team import team.yaml   # a comment\ncreated team … with 1 members\n```\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parseReadme([]byte(tt.readme))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			t.Chdir(dir)
			t.Setenv("RHYTHM_DB", filepath.Join(dir, "rhythm.db"))
			if fails := runReadme(t, doc, dir); len(fails) != tt.fails {
				t.Errorf("%d failures, want %d: %q", len(fails), tt.fails, fails)
			}
		})
	}
}
