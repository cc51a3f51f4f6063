package web

import (
	"context"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// checkCharts checks that the page shows at least want charts, each drawn
// with a size and marks, and saves a screenshot.
func checkCharts(t *testing.T, name string, shot func(*testing.T, context.Context, string) string, ctx context.Context, want int) {
	t.Helper()
	cs, err := browsertest.Charts(ctx)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(cs) < want {
		t.Errorf("%s: %d charts, want %d", name, len(cs), want)
	}
	for _, c := range cs {
		if c.Width < 100 || c.Height < 40 || c.Marks < 2 {
			t.Errorf("%s: chart %s is %.0f×%.0f px with %d marks", name, c.ID, c.Width, c.Height, c.Marks)
		}
	}
	shot(t, ctx, strings.ReplaceAll(name, " ", "-"))
}
