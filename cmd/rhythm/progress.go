package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// rowProgress returns a callback that shows rows copied per table on
// stderr, and a function that ends it: a bar on a terminal; piped (a log,
// a CI job), a line per table and one every progressEvery within a long
// one, so a long copy is never silent.
func (a *app) rowProgress(verb string) (func(table string, rows int64), func()) {
	if !isTerminal(a.stderr) {
		return lineProgress(a.stderr, verb, time.Now)
	}
	return a.terminalProgress(verb)
}

// terminalProgress is rowProgress's bar on a terminal; piped, it does
// nothing (for work that prints its own lines).
func (a *app) terminalProgress(verb string) (func(table string, rows int64), func()) {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(verb),
		progressbar.OptionShowCount(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
	)
	return func(table string, rows int64) {
			bar.Describe(verb + " " + table)
			bar.Set64(rows)
		}, func() {
			bar.Finish()
		}
}

// progressEvery is how often lineProgress reports within one table.
const progressEvery = 5 * time.Second

// lineProgress reports progress as plain lines: "copying interactions:
// 120000 rows" when a table is done and every progressEvery within one.
func lineProgress(w io.Writer, verb string, now func() time.Time) (func(table string, rows int64), func()) {
	var (
		table string
		rows  int64
		last  time.Time
	)
	flush := func() {
		if table != "" {
			fmt.Fprintf(w, "%s %s: %d rows\n", verb, table, rows)
		}
	}
	return func(t string, n int64) {
			if t != table {
				flush()
				table, last = t, now()
			} else if now().Sub(last) >= progressEvery {
				fmt.Fprintf(w, "%s %s: %d rows so far\n", verb, t, n)
				last = now()
			}
			rows = n
		}, func() {
			flush()
			table = ""
		}
}
