package remind_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// receiver is a local webhook endpoint that counts deliveries by reminder
// id and checks every signature.
type receiver struct {
	t      *testing.T
	secret []byte
	now    func() time.Time
	// fail answers 500 to the first fail requests.
	fail     atomic.Int32
	mu       sync.Mutex
	got      map[int64]int // reminder id → deliveries
	bodies   []remind.Message
	requests atomic.Int32
	badSigs  atomic.Int32
	delay    time.Duration
}

func newReceiver(t *testing.T, secret []byte, now func() time.Time) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, secret: secret, now: now, got: map[int64]int{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.requests.Add(1)
	body, _ := io.ReadAll(r.Body)
	if rc.secret != nil {
		if err := remind.Verify(rc.secret, r.Header.Get(remind.HeaderTimestamp), r.Header.Get(remind.HeaderSignature), body, rc.now(), 5*time.Minute); err != nil {
			rc.badSigs.Add(1)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
	}
	if rc.fail.Add(-1) >= 0 {
		http.Error(w, "receiver is down", http.StatusInternalServerError)
		return
	}
	if rc.delay > 0 {
		time.Sleep(rc.delay)
	}
	id, _ := strconv.ParseInt(r.Header.Get(remind.HeaderDelivery), 10, 64)
	var m remind.Message
	json.Unmarshal(body, &m)
	rc.mu.Lock()
	rc.got[id]++
	rc.bodies = append(rc.bodies, m)
	rc.mu.Unlock()
}

const roster = `team: Platform
norms: {response_window: 24h}
members:
  - {name: Ana Silva, email: ana@example.com, zone: UTC, hours: "00:00-24:00", days: mon-sun}
  - {name: Kenji Sato, email: kenji@example.com, zone: UTC, hours: "00:00-24:00", days: mon-sun}
  - {name: Liam Byrne, email: liam@example.com, zone: UTC, hours: "00:00-24:00", days: mon-sun}
  - {name: Maya Cohen, email: maya@example.com, zone: UTC, hours: "00:00-24:00", days: mon-sun}
`

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// seed stores the team and n threads owned by Ana for the three others,
// due an hour after t0.
func seed(t *testing.T, db *store.DB, n int) team.Team {
	t.Helper()
	ctx := context.Background()
	tm, err := team.ParseRoster("team.yaml", []byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	if tm, err = db.CreateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	var ths []thread.Thread
	for i := range n {
		th, err := thread.NewThread{Title: fmt.Sprintf("Thread %d", i), Owner: "ana@example.com", Participants: []string{"kenji@example.com", "liam@example.com", "maya@example.com"},
			DueBy: t0.Add(time.Hour).Format(time.RFC3339)}.Validate(&tm, "ana@example.com", t0)
		if err != nil {
			t.Fatal(err)
		}
		ths = append(ths, th)
	}
	if _, err := db.CreateThreads(ctx, ths); err != nil {
		t.Fatal(err)
	}
	return tm
}

// clock is a settable time shared by workers and receivers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestWorker(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Run("signed payloads verify", func(t *testing.T) { testSigned(t, d) })
			t.Run("a failing receiver is retried", func(t *testing.T) { testRetry(t, d) })
			t.Run("failures after the last attempt are visible", func(t *testing.T) { testGiveUp(t, d) })
			t.Run("two workers over one database deliver once", func(t *testing.T) { testTwoWorkers(t, d) })
			t.Run("a stopped mid-send claim is failed, not resent", func(t *testing.T) { testExpiredClaim(t, d) })
		})
	}
}

func testSigned(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	seed(t, db, 1)
	clk := &clock{t: t0.Add(30 * time.Minute)} // due in 30 minutes
	secret := []byte("shared secret")
	rc, srv := newReceiver(t, secret, clk.Now)
	w := &remind.Worker{Store: db, Senders: []remind.Sender{&remind.JSONWebhook{URL: srv.URL, Secret: secret, Now: clk.Now}}, Now: clk.Now,
		BaseURL: "https://rhythm.example.com"}
	st, err := w.Round(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Planned != 3 || st.Sent != 3 || rc.badSigs.Load() != 0 {
		t.Fatalf("round = %+v, bad signatures %d; want 3 due-soon reminders planned and sent, all signed", st, rc.badSigs.Load())
	}
	m := rc.bodies[0]
	if m.Kind != remind.DueSoon || m.Title != "Thread 0" || m.Owes != "respond" || m.URL == "" || m.Team != "Platform" {
		t.Errorf("payload = %+v", m)
	}
	// A second round sends nothing new; after the due-by, overdue
	// reminders go to the three and to the owner.
	if st, _ := w.Round(context.Background()); st.Sent != 0 || st.Planned != 0 {
		t.Errorf("second round = %+v, want nothing", st)
	}
	clk.Set(t0.Add(2 * time.Hour))
	if st, _ := w.Round(context.Background()); st.Sent != 4 {
		t.Errorf("after the due-by: %+v, want 4 overdue reminders", st)
	}
	// A tampered signature is refused by the receiver, which the worker
	// sees as a failure.
	bad := &remind.JSONWebhook{URL: srv.URL, Secret: []byte("wrong"), Now: clk.Now}
	if err := bad.Send(context.Background(), m); err == nil || rc.badSigs.Load() != 1 {
		t.Errorf("wrong secret: err %v, receiver refused %d", err, rc.badSigs.Load())
	}
}

func testRetry(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	tm := seed(t, db, 1)
	clk := &clock{t: t0.Add(2 * time.Hour)} // overdue
	rc, srv := newReceiver(t, nil, clk.Now)
	rc.fail.Store(2)
	w := &remind.Worker{Store: db, Senders: []remind.Sender{&remind.SlackWebhook{URL: srv.URL}}, Now: clk.Now, MaxAttempts: 5}
	ctx := context.Background()
	// 4 reminders; the first two requests fail.
	st, err := w.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 2 || st.Retried != 2 {
		t.Fatalf("first round = %+v, want 2 sent and 2 to retry", st)
	}
	failing, err := db.Reminders(ctx, tm.ID, store.ReminderFilter{Failing: true})
	if err != nil || len(failing) != 2 || failing[0].LastError == "" || failing[0].State != remind.Pending {
		t.Fatalf("failing reminders = %+v, %v; want 2 pending with the error", failing, err)
	}
	// Not before the backoff.
	if st, _ := w.Round(ctx); st.Sent != 0 {
		t.Errorf("round before the backoff sent %d", st.Sent)
	}
	clk.Add(time.Minute)
	if st, _ := w.Round(ctx); st.Sent != 2 {
		t.Errorf("round after the backoff = %+v, want the 2 retried", st)
	}
	if n := rc.requests.Load(); n != 6 {
		t.Errorf("receiver got %d requests, want 6 (4 + 2 retries)", n)
	}
	for id, n := range rc.got {
		if n != 1 {
			t.Errorf("reminder %d delivered %d times", id, n)
		}
	}
	if len(rc.got) != 4 {
		t.Errorf("%d reminders delivered, want 4", len(rc.got))
	}
	sent, _ := db.Reminders(ctx, tm.ID, store.ReminderFilter{States: []remind.State{remind.Sent}})
	if len(sent) != 4 {
		t.Errorf("%d reminders sent, want 4", len(sent))
	}
}

func testGiveUp(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	tm := seed(t, db, 1)
	clk := &clock{t: t0.Add(2 * time.Hour)}
	rc, srv := newReceiver(t, nil, clk.Now)
	rc.fail.Store(1000)
	w := &remind.Worker{Store: db, Senders: []remind.Sender{&remind.SlackWebhook{URL: srv.URL}}, Now: clk.Now, MaxAttempts: 3,
		Backoff: remind.ExponentialBackoff(time.Minute, time.Hour)}
	ctx := context.Background()
	for range 4 {
		if _, err := w.Round(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Minute)
	}
	failed, err := db.Reminders(ctx, tm.ID, store.ReminderFilter{States: []remind.State{remind.Failed}})
	if err != nil || len(failed) != 4 {
		t.Fatalf("failed reminders = %d, %v; want 4", len(failed), err)
	}
	if r := failed[0]; r.Attempts != 3 || r.Title != "Thread 0" || r.LastError == "" {
		t.Errorf("failed reminder = %+v, want 3 attempts, the title and the error", r)
	}
	if n := rc.requests.Load(); n != 12 {
		t.Errorf("receiver got %d requests, want 4 × 3", n)
	}
	// The lead retries one: it goes out again with fresh attempts.
	rc.fail.Store(0)
	if _, err := db.RetryReminder(ctx, tm.ID, failed[0].ID, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.Round(ctx); st.Sent != 1 {
		t.Errorf("after retry: %+v, want 1 sent", st)
	}
	if _, err := db.RetryReminder(ctx, tm.ID, failed[0].ID, clk.Now()); err == nil {
		t.Error("retrying a sent reminder succeeded")
	}
}

// testTwoWorkers runs two workers, each on its own database handle, over
// one database at once, and checks that every reminder reaches the
// receiver exactly once.
func testTwoWorkers(t *testing.T, d storetest.Dialect) {
	dsn := d.DSN(t)
	db1 := storetest.OpenDSN(t, dsn)
	db2 := storetest.OpenDSN(t, dsn)
	const threads = 30
	seed(t, db1, threads)
	clk := &clock{t: t0.Add(2 * time.Hour)}
	secret := []byte("k")
	rc, srv := newReceiver(t, secret, clk.Now)
	rc.delay = time.Millisecond
	rc.fail.Store(5) // some first attempts fail and are retried
	ctx := context.Background()
	var wg sync.WaitGroup
	var sent atomic.Int32
	for i, db := range []*store.DB{db1, db2} {
		w := &remind.Worker{Store: db, Senders: []remind.Sender{&remind.JSONWebhook{URL: srv.URL, Secret: secret, Now: clk.Now}}, Now: clk.Now,
			ID: fmt.Sprintf("server-%d", i+1), Backoff: func(int) time.Duration { return 0 }}
		wg.Go(func() {
			for range 6 {
				st, err := w.Round(ctx)
				if err != nil {
					t.Errorf("%s: %v", w.ID, err)
					return
				}
				sent.Add(int32(st.Sent))
			}
		})
	}
	wg.Wait()
	want := threads * 4 // three responders and the owner per thread
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.got) != want {
		t.Errorf("%d distinct reminders delivered, want %d", len(rc.got), want)
	}
	for id, n := range rc.got {
		if n != 1 {
			t.Errorf("reminder %d delivered %d times", id, n)
		}
	}
	if int(sent.Load()) != want {
		t.Errorf("workers report %d sent, want %d", sent.Load(), want)
	}
	if rc.badSigs.Load() != 0 {
		t.Errorf("%d bad signatures", rc.badSigs.Load())
	}
}

// testExpiredClaim: a worker that claimed a reminder and stopped before
// recording the outcome leaves it failed for the lead to see, not resent.
func testExpiredClaim(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	tm := seed(t, db, 1)
	clk := &clock{t: t0.Add(2 * time.Hour)}
	ctx := context.Background()
	w := &remind.Worker{Store: db, Senders: []remind.Sender{&remind.SlackWebhook{URL: "http://127.0.0.1:1"}}, Now: clk.Now}
	// Plan, then claim one by hand as a server that crashed would.
	ths, _ := db.OpenThreadsDue(ctx, clk.Now(), 10)
	if _, err := db.AddReminders(ctx, remind.Plan(&ths[0], &tm, clk.Now(), time.Hour, w.Channels())); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimReminders(ctx, "crashed", clk.Now(), 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	clk.Add(11 * time.Minute)
	st, err := w.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Expired != 1 {
		t.Errorf("expired = %d, want 1", st.Expired)
	}
	failed, _ := db.Reminders(ctx, tm.ID, store.ReminderFilter{States: []remind.State{remind.Failed}})
	if len(failed) != 1 || failed[0].ID != claimed[0].ID {
		t.Errorf("failed = %+v, want the claimed one", failed)
	}
}
