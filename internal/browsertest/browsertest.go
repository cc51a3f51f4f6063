// Package browsertest drives headless Chromium for the web app's browser
// tests. A test that calls New is skipped with a one-line reason when no
// Chromium is installed (and fails under RHYTHM_TEST_REQUIRE=1); when it
// fails, a screenshot of the page is saved and its path logged.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/internal/testenv"
)

// New starts a headless browser for t and returns its context, with a
// deadline; the browser stops when the test ends.
func New(t *testing.T) context.Context {
	t.Helper()
	bin := testenv.Chromium(t)
	// Chromium's helpers may still write to the profile as the browser
	// exits, so the profile is removed with retries rather than by TempDir.
	profile, err := os.MkdirTemp("", "rhythm-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	if err := chromedp.Run(ctx); err != nil {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium %s: %v", bin, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			Screenshot(t, ctx, "failure")
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// Screenshot saves a full-page PNG of the current page and returns its
// path: into $RHYTHM_SCREENSHOTS when set, else the test's temp folder
// (logged on failure).
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv("RHYTHM_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "rhythm-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	var png []byte
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := chromedp.Run(sctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	safe := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name() + "-" + name)
	path := filepath.Join(dir, safe+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	t.Logf("screenshot: %s", path)
	return path
}

// Text returns the visible text of the first element matching sel.
func Text(ctx context.Context, sel string) (string, error) {
	var s string
	err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.NodeVisible))
	return s, err
}
