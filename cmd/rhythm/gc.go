package main

import "runtime/debug"

// oneShotHeap is the heap size below which the short commands never
// collect garbage.
const oneShotHeap = 512 << 20

// oneShot lists the commands that read one input, print and exit within
// milliseconds: for them a garbage collection costs more than the memory it
// would free (`ical expand` over a 5,000-event calendar spends a third of
// its CPU collecting 24 MB that the exit frees anyway).
var oneShot = map[string]bool{"ical": true, "decide": true, "schedule": true, "lint": true}

// tuneGC turns the collector off below oneShotHeap for the one-shot
// commands, unless GOGC or GOMEMLIMIT say otherwise. Above that heap the
// runtime collects as usual (the memory limit is soft), so a huge input
// still runs in bounded memory.
func tuneGC(args []string, getenv func(string) string) bool {
	if len(args) == 0 || !oneShot[args[0]] || getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetMemoryLimit(oneShotHeap)
	debug.SetGCPercent(-1)
	return true
}
