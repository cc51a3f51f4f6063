package main

import (
	"context"
	"io"
	"strings"
	"testing"
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
