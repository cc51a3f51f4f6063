package remind

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// Store is the storage the worker needs; *store.DB implements it.
type Store interface {
	// OpenThreadsDue lists open threads due before the time.
	OpenThreadsDue(ctx context.Context, before time.Time, limit int) ([]thread.Thread, error)
	Thread(ctx context.Context, teamID, id int64) (thread.Thread, error)
	Team(ctx context.Context, ref string) (team.Team, error)
	// AddReminders stores reminders, skipping any that exist already (same
	// thread, member, kind and channel), and returns how many are new.
	AddReminders(ctx context.Context, rs []Reminder) (int, error)
	// ClaimReminders marks up to limit pending reminders whose next attempt
	// is due at now as sending by worker, counting the attempt, and returns
	// them. No two calls ever return the same reminder in the same attempt.
	ClaimReminders(ctx context.Context, worker string, now time.Time, limit int) ([]Reminder, error)
	// FinishReminder records the outcome of worker's attempt; it changes
	// nothing when the worker no longer holds the claim.
	FinishReminder(ctx context.Context, id int64, worker string, o Outcome) error
	// ExpireClaims marks reminders claimed before the time as failed with
	// msg, and returns how many.
	ExpireClaims(ctx context.Context, before time.Time, msg string) (int, error)
}

// Outcome is how an attempt ended.
type Outcome struct {
	State State // Sent, Pending (retry), Failed or Cancelled
	At    time.Time
	// NextAttempt is when to retry (State Pending).
	NextAttempt time.Time
	Error       string
}

// Defaults of a Worker.
const (
	DefaultInterval    = 30 * time.Second
	DefaultMaxAttempts = 8
	DefaultLease       = 10 * time.Minute
	DefaultBatch       = 50
)

// Worker plans and delivers reminders.
type Worker struct {
	Store   Store
	Senders []Sender
	// Before is how long ahead of a due-by the due-soon reminder goes out
	// (DefaultBefore when 0).
	Before time.Duration
	// Interval is the time between rounds (DefaultInterval when 0).
	Interval time.Duration
	// MaxAttempts is how often a reminder is tried before it is failed.
	MaxAttempts int
	// Backoff returns the wait after failed attempt n (1, 2, …); nil means
	// one minute doubling per attempt, at most an hour.
	Backoff func(n int) time.Duration
	// Lease is how long a claim may stay unfinished before the reminder is
	// failed as "outcome unknown" (never resent, so never delivered twice).
	Lease time.Duration
	// ID names this worker in claims; empty means host, process and a
	// random suffix.
	ID string
	// BaseURL is where rhythm's pages are served, for links in messages.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
}

// Stats counts what one round did.
type Stats struct {
	Planned, Sent, Retried, Failed, Cancelled, Expired int
}

func (w *Worker) init() {
	if w.Before <= 0 {
		w.Before = DefaultBefore
	}
	if w.Interval <= 0 {
		w.Interval = DefaultInterval
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = DefaultMaxAttempts
	}
	if w.Lease <= 0 {
		w.Lease = DefaultLease
	}
	if w.Backoff == nil {
		w.Backoff = ExponentialBackoff(time.Minute, time.Hour)
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if w.ID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		w.ID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
}

// ExponentialBackoff waits first, doubling per attempt, at most max.
func ExponentialBackoff(first, max time.Duration) func(int) time.Duration {
	return func(n int) time.Duration {
		d := first
		for i := 1; i < n && d < max; i++ {
			d *= 2
		}
		return min(d, max)
	}
}

// Channels returns the channel names of the worker's senders.
func (w *Worker) Channels() []string {
	out := make([]string, len(w.Senders))
	for i, s := range w.Senders {
		out[i] = s.Channel()
	}
	return out
}

// Run does a round every Interval until ctx ends, then returns nil. A
// failing round is logged and the next one tried.
func (w *Worker) Run(ctx context.Context) error {
	w.init()
	w.Log.Info("reminders: worker started", "worker", w.ID, "channels", strings.Join(w.Channels(), ","), "before", w.Before)
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("reminders: round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			w.Log.Info("reminders: worker stopped", "worker", w.ID)
			return nil
		case <-t.C:
		}
	}
}

// Round plans the reminders due now, then delivers those ready.
func (w *Worker) Round(ctx context.Context) (Stats, error) {
	w.init()
	var st Stats
	now := w.Now()
	n, err := w.Store.ExpireClaims(ctx, now.Add(-w.Lease), "delivery outcome unknown: the server stopped while sending; not resent so it is never delivered twice (retry it if it did not arrive)")
	if err != nil {
		return st, err
	}
	st.Expired = n
	if st.Planned, err = w.plan(ctx, now); err != nil {
		return st, err
	}
	for {
		if ctx.Err() != nil {
			return st, nil
		}
		batch, err := w.Store.ClaimReminders(ctx, w.ID, w.Now(), DefaultBatch)
		if err != nil {
			return st, err
		}
		if len(batch) == 0 {
			return st, nil
		}
		for i := range batch {
			if err := w.deliver(ctx, &batch[i], &st); err != nil {
				return st, err
			}
		}
	}
}

func (w *Worker) plan(ctx context.Context, now time.Time) (int, error) {
	channels := w.Channels()
	if len(channels) == 0 {
		return 0, nil
	}
	ths, err := w.Store.OpenThreadsDue(ctx, now.Add(w.Before), 5000)
	if err != nil {
		return 0, err
	}
	teams := map[int64]*team.Team{}
	var rs []Reminder
	for i := range ths {
		th := &ths[i]
		t, ok := teams[th.TeamID]
		if !ok {
			tm, err := w.Store.Team(ctx, strconv.FormatInt(th.TeamID, 10))
			if err != nil {
				return 0, err
			}
			t = &tm
			teams[th.TeamID] = t
		}
		rs = append(rs, Plan(th, t, now, w.Before, channels)...)
	}
	if len(rs) == 0 {
		return 0, nil
	}
	return w.Store.AddReminders(ctx, rs)
}

func (w *Worker) sender(channel string) Sender {
	for _, s := range w.Senders {
		if s.Channel() == channel {
			return s
		}
	}
	return nil
}

// deliver sends one claimed reminder and records the outcome.
func (w *Worker) deliver(ctx context.Context, r *Reminder, st *Stats) error {
	now := w.Now()
	finish := func(o Outcome) error {
		o.At = w.Now()
		// The outcome is recorded even as the server stops.
		return w.Store.FinishReminder(context.WithoutCancel(ctx), r.ID, w.ID, o)
	}
	th, err := w.Store.Thread(ctx, r.TeamID, r.ThreadID)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		st.Cancelled++
		return finish(Outcome{State: Cancelled, Error: "the thread is gone"})
	} else if err != nil {
		return err
	}
	if !Applies(r, &th, now) {
		st.Cancelled++
		return finish(Outcome{State: Cancelled})
	}
	s := w.sender(r.Channel)
	if s == nil {
		st.Failed++
		return finish(Outcome{State: Failed, Error: fmt.Sprintf("no %s channel is configured on this server", r.Channel)})
	}
	t, err := w.Store.Team(ctx, strconv.FormatInt(r.TeamID, 10))
	if err != nil {
		return err
	}
	err = s.Send(ctx, NewMessage(r, &th, &t, now, w.BaseURL))
	switch {
	case err == nil:
		st.Sent++
		w.Log.Info("reminders: sent", "reminder", r.ID, "kind", r.Kind, "channel", r.Channel, "member", r.Member, "thread", r.ThreadID)
		return finish(Outcome{State: Sent})
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// Stopping mid-send: whether it arrived is unknown, so the claim is
		// left to expire into a visible failure rather than resent.
		return nil
	case r.Attempts >= w.MaxAttempts:
		st.Failed++
		w.Log.Warn("reminders: giving up", "reminder", r.ID, "channel", r.Channel, "attempts", r.Attempts, "err", err)
		return finish(Outcome{State: Failed, Error: oneLine(err)})
	default:
		st.Retried++
		wait := w.Backoff(r.Attempts)
		var ra *RetryAfterError
		if errors.As(err, &ra) && ra.Wait > wait {
			wait = ra.Wait // the server said how long to wait
		}
		next := w.Now().Add(wait)
		w.Log.Warn("reminders: will retry", "reminder", r.ID, "channel", r.Channel, "attempt", r.Attempts, "next", next, "err", err)
		return finish(Outcome{State: Pending, NextAttempt: next, Error: oneLine(err)})
	}
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
