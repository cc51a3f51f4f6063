package demo_test

import (
	"context"
	"testing"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// BenchmarkSeed seeds a new SQLite database: what `serve --demo` waits for
// before it listens.
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		b.StartTimer()
		if _, err := demo.Seed(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}
