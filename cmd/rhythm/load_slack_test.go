//go:build load

package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/store/storetest"
)

// slackRate is the Events API load: 200 signed events per second.
const slackRate = 200

// TestLoadSlackEvents sends 200 signed message events per second for 30 s
// (RHYTHM_SLACK_LOAD_DURATION; the figure, so it does not follow
// the other load tests' RHYTHM_LOAD_DURATION) to one server on SQLite, and to three servers
// sharing PostgreSQL, 5% of them Slack's retries of an earlier delivery:
// no 5xx, every acknowledged message stored exactly once, and the latency
// figures logged. Slack retries an event not answered within 3 s, so an
// answer slower than that fails the test; the target is p99 ≤ 50 ms.
func TestLoadSlackEvents(t *testing.T) {
	duration := envDuration(t, "RHYTHM_SLACK_LOAD_DURATION", 30*time.Second, 5*time.Minute)
	t.Run("sqlite, one server", func(t *testing.T) {
		dsn := filepath.Join(t.TempDir(), "rhythm.db")
		loadSlack(t, dsn, 1, duration)
	})
	t.Run("postgres, three servers", func(t *testing.T) {
		loadSlack(t, storetest.PostgresDSN(t), 3, duration)
	})
}

func loadSlack(t *testing.T, dsn string, servers int, duration time.Duration) {
	api := slackWebAPI(t)
	roster := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(roster, []byte(slackTestRoster), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", "--db", dsn, roster); code != 0 {
		t.Fatalf("team import: %s", errs)
	}
	var bases []string
	for range servers {
		bases = append(bases, startServer(t, "--db", dsn, "--slack-signing-secret", slackTestSecret, "--slack-bot-token", slackTestToken,
			"--slack-api-url", api.URL, "--log-level", "error"))
	}
	transport := &http.Transport{MaxIdleConns: 400, MaxIdleConnsPerHost: 200, IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	var (
		mu      sync.Mutex
		lat     []time.Duration
		status  = map[int]int{}
		netErrs atomic.Int64
		acked   = map[string]bool{}
		wg      sync.WaitGroup
	)
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	start := time.Now()
	sent := 0
	// Open loop on a fixed schedule: a late event is sent at once, so the
	// rate holds even when the sender is descheduled for a moment.
	for total := int(duration.Seconds() * slackRate); sent < total; {
		time.Sleep(time.Until(start.Add(time.Duration(sent) * time.Second / slackRate)))
		n := sent
		if sent%20 == 19 { // a retry of an earlier event
			n = sent - 7
		}
		sent++
		ts := fmt.Sprintf("%d.%06d", base.Add(time.Duration(n)*time.Second).Unix(), n%1_000_000)
		thread := ""
		if n%4 == 1 {
			thread = fmt.Sprintf("%d.%06d", base.Add(time.Duration(n-1)*time.Second).Unix(), (n-1)%1_000_000)
		}
		req := slackEvent(t, bases[sent%len(bases)], ts, thread)
		wg.Go(func() {
			t0 := time.Now()
			res, err := hc.Do(req)
			took := time.Since(t0)
			if err != nil {
				netErrs.Add(1)
				return
			}
			res.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, took)
			status[res.StatusCode]++
			if res.StatusCode == 200 {
				acked[ts] = true
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	stored := countRows(t, dsn, "SELECT COUNT(*) FROM interactions")
	t.Logf("slack events, %d server(s): %d sent in %s (%.0f events/s), statuses %v, %d without answer; p50 %s p90 %s p99 %s max %s (target p99 ≤ 50 ms: %v); %d distinct acknowledged, %d stored",
		servers, sent, elapsed.Round(time.Millisecond), float64(sent)/elapsed.Seconds(), status, netErrs.Load(),
		q(0.5).Round(100*time.Microsecond), q(0.9).Round(100*time.Microsecond), q(0.99).Round(100*time.Microsecond), lat[len(lat)-1].Round(time.Millisecond),
		q(0.99) <= 50*time.Millisecond, len(acked), stored)
	for code, n := range status {
		if code != 200 {
			t.Errorf("%d events answered %d", n, code)
		}
	}
	if netErrs.Load() > 0 {
		t.Errorf("%d events got no answer", netErrs.Load())
	}
	distinct := sent - sent/20 // every 20th event is a retry
	if stored < len(acked) || stored > distinct {
		t.Errorf("%d interactions stored for %d distinct acknowledged messages (%d distinct sent): lost or doubled", stored, len(acked), distinct)
	}
	if q(0.99) > 3*time.Second {
		t.Errorf("p99 %s: Slack retries events not answered within 3 s", q(0.99))
	}
}
