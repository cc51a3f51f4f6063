package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"strings"
)

// TestLineProgress: piped, a long copy reports each table when it is done
// and every few seconds within a long one, instead of staying silent.
func TestLineProgress(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	step, done := lineProgress(&out, "copying", now)
	step("teams", 10000)
	step("teams", 12)
	for i := int64(1); i <= 4; i++ {
		clock = clock.Add(2 * time.Second)
		step("interactions", i*10000)
	}
	done()
	want := []string{
		"copying teams: 12 rows",
		"copying interactions: 40000 rows so far",
		"copying interactions: 40000 rows",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(out.String()), "\n")); diff != "" {
		t.Errorf("progress lines (-want +got):\n%s", diff)
	}
}
