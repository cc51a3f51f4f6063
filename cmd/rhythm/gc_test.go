package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		env  func(string) string
		want bool
	}{
		{"ical expand", []string{"ical", "expand", "x.ics"}, env(), true},
		{"decide", []string{"decide", "--purpose", "1:1"}, env(), true},
		{"serve keeps the collector", []string{"serve"}, env(), false},
		{"import keeps the collector", []string{"import", "x.zip"}, env(), false},
		{"no command", nil, env(), false},
		{"GOGC set by the user wins", []string{"ical", "expand"}, env("GOGC", "100"), false},
		{"GOMEMLIMIT set by the user wins", []string{"decide"}, env("GOMEMLIMIT", "1GiB"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 62)
			if got := tuneGC(tc.args, tc.env); got != tc.want {
				t.Fatalf("tuneGC = %v, want %v", got, tc.want)
			}
			percent := debug.SetGCPercent(100)
			limit := debug.SetMemoryLimit(-1)
			if tc.want && (percent != -1 || limit != oneShotHeap) {
				t.Errorf("GC percent %d, limit %d; want -1 and %d", percent, limit, oneShotHeap)
			}
			if !tc.want && (percent != 100 || limit != 1<<62) {
				t.Errorf("settings changed: GC percent %d, limit %d", percent, limit)
			}
		})
	}
}
