package demo_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// BenchmarkSeed seeds a new SQLite database: what `serve --demo` waits for
// before it listens. Besides the wall time it reports the CPU time per
// seed (user and system, all threads), which a busy machine changes less.
func BenchmarkSeed(b *testing.B) {
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		before := cpuTime()
		b.StartTimer()
		if _, err := demo.Seed(context.Background(), db); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - before
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
