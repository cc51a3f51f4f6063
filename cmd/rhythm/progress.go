package main

import (
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// rowProgress returns a callback that shows rows copied per table on
// stderr when it is a terminal, and a function that clears it; piped, both
// do nothing.
func (a *app) rowProgress(verb string) (func(table string, rows int64), func()) {
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
