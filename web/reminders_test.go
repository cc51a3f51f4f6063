package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/thread"
)

// TestRemindersFailuresVisibleToLead stores a failed and a sent reminder
// and checks that the lead sees the failure with its error (API and page),
// can retry it, and that members cannot see the page.
func TestRemindersFailuresVisibleToLead(t *testing.T) {
	f := newSQLiteFixture(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	th, err := thread.NewThread{Title: "Budget", Owner: "lead@example.com", Participants: []string{"member@example.com"}}.Validate(&f.teamA, "lead@example.com", now)
	if err != nil {
		t.Fatal(err)
	}
	if th, err = f.db.CreateThread(ctx, th); err != nil {
		t.Fatal(err)
	}
	rs := []remind.Reminder{
		{TeamID: f.teamA.ID, ThreadID: th.ID, Member: "member@example.com", Kind: remind.DueSoon, Channel: "slack", SendAt: now, NextAttemptAt: now, CreatedAt: now},
		{TeamID: f.teamA.ID, ThreadID: th.ID, Member: "member@example.com", Kind: remind.DueSoon, Channel: "email", SendAt: now, NextAttemptAt: now, CreatedAt: now},
	}
	if _, err := f.db.AddReminders(ctx, rs); err != nil {
		t.Fatal(err)
	}
	claimed, err := f.db.ClaimReminders(ctx, "w", now, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %d %v", len(claimed), err)
	}
	f.db.FinishReminder(ctx, claimed[0].ID, "w", remind.Outcome{State: remind.Failed, At: now, Error: "POST https://hooks.example.com/…: 404 Not Found"})
	f.db.FinishReminder(ctx, claimed[1].ID, "w", remind.Outcome{State: remind.Sent, At: now})
	base := fmt.Sprintf("/api/v1/teams/%d/reminders", f.teamA.ID)

	var list struct {
		Reminders []remind.Reminder `json:"reminders"`
	}
	f.call(t, "lead", "GET", base, "", http.StatusOK, &list)
	if len(list.Reminders) != 1 || list.Reminders[0].State != remind.Failed || !strings.Contains(list.Reminders[0].LastError, "404") || list.Reminders[0].Title != "Budget" {
		t.Fatalf("failing reminders = %+v, want the one failure with its error", list.Reminders)
	}
	f.call(t, "lead", "GET", base+"?state=all", "", http.StatusOK, &list)
	if len(list.Reminders) != 2 {
		t.Errorf("all reminders = %d, want 2", len(list.Reminders))
	}
	f.call(t, "lead", "GET", base+"?state=lost", "", http.StatusBadRequest, nil)
	f.call(t, "member", "GET", base, "", http.StatusForbidden, nil)

	page := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/reminders", f.teamA.ID), nil, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "404 Not Found") || !strings.Contains(page.Body.String(), "Retry") {
		t.Errorf("reminders page = %d, want the failure and a retry button:\n%s", page.Code, page.Body)
	}
	if w := f.request(t, "member", "GET", fmt.Sprintf("/teams/%d/reminders", f.teamA.ID), nil, nil); w.Code != http.StatusForbidden {
		t.Errorf("member sees the reminders page: %d", w.Code)
	}

	var retried remind.Reminder
	f.call(t, "lead", "POST", fmt.Sprintf("%s/%d/retry", base, claimed[0].ID), "", http.StatusOK, &retried)
	if retried.State != remind.Pending || retried.Attempts != 0 {
		t.Errorf("retried = %+v", retried)
	}
	f.call(t, "lead", "POST", fmt.Sprintf("%s/%d/retry", base, claimed[1].ID), "", http.StatusConflict, nil)
	f.call(t, "lead of another team", "POST", fmt.Sprintf("%s/%d/retry", base, claimed[0].ID), "", http.StatusForbidden, nil)
}
