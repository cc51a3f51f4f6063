package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/ical/icaltest"
)

// BenchmarkRunHelp measures `rhythm --help` after package initialisation:
// building the command tree and printing the help.
func BenchmarkRunHelp(b *testing.B) {
	for b.Loop() {
		if code := run(context.Background(), []string{"--help"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}

// BenchmarkRunDecide measures one `rhythm decide` after package
// initialisation.
func BenchmarkRunDecide(b *testing.B) {
	args := strings.Fields("decide --stakeholders 6 --zones 3 --ambiguity low --urgency days --relationship low")
	for b.Loop() {
		if code := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}

// BenchmarkProcess runs rhythm as a new process per iteration (this test
// binary standing in for it, so a little larger than the real one): start,
// package initialisation, the command and exit, as a person at a terminal
// waits for them. ical-expand-year lists a year of the generated
// 5,000-event calendar as NDJSON.
func BenchmarkProcess(b *testing.B) {
	dir := b.TempDir()
	var cal bytes.Buffer
	if err := icaltest.Generate(&cal, icaltest.Default); err != nil {
		b.Fatal(err)
	}
	calFile := filepath.Join(dir, "calendar.ics")
	if err := os.WriteFile(calFile, cal.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"help", []string{"--help"}},
		{"decide", strings.Fields("decide --stakeholders 7 --zones 4 --ambiguity low --urgency days --relationship low")},
		{"ical-expand-year", []string{"ical", "expand", calFile, "--from", "2026-01-01", "--to", "2027-01-01", "--json"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(os.Args[0], bc.args...)
				cmd.Env = append(os.Environ(), "RHYTHM_TEST_RUN_MAIN=1")
				var stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = io.Discard, &stderr
				if err := cmd.Run(); err != nil {
					b.Fatalf("rhythm %s: %v\n%s", strings.Join(bc.args, " "), err, stderr.Bytes())
				}
			}
		})
	}
}
