package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// interact posts an interaction payload as Slack does (a form with one
// "payload" field of JSON).
func (e *env) interact(t *testing.T, payload map[string]any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(payload)
	w := serve(e.h.Interactions, signed(t, slack.PathInteractions, formType, url.Values{"payload": {string(b)}}.Encode(), time.Now()))
	return w.Code, w.Body.String()
}

// press is a block_actions payload: user pressed the button actionID of
// the reminder's action block.
func press(user, actionID string, reminderID, threadID int64) map[string]any {
	return map[string]any{"type": "block_actions", "team": map[string]any{"id": workspace}, "user": map[string]any{"id": user},
		"channel": map[string]any{"id": "D0DM"}, "trigger_id": "1.2.3", "response_url": "https://hooks.slack.com/actions/1",
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": "rhythm_reminder_" + strconv.FormatInt(reminderID, 10),
			"value": strconv.FormatInt(threadID, 10), "action_ts": "1772442000.1"}}}
}

// sentReminder opens a thread from Ana to Kenji and Priya and stores a
// reminder to Kenji as sent, as the reminder worker leaves it.
func sentReminder(t *testing.T, e *env) (thread.Thread, int64) {
	t.Helper()
	ctx := context.Background()
	th, err := e.app.CreateThread(ctx, appSystem(), "Platform", thread.NewThread{Title: "Pick the Q3 goal", Owner: "ana@example.com",
		Participants: []string{"kenji@example.com", "priya@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := e.db.AddReminders(ctx, []remind.Reminder{{TeamID: e.team.ID, ThreadID: th.ID, Member: "kenji@example.com", Kind: remind.Overdue,
		Channel: "slack_dm", SendAt: now, NextAttemptAt: now, CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	rs, err := e.db.ClaimReminders(ctx, "w1", now.Add(time.Second), 10)
	if err != nil || len(rs) != 1 {
		t.Fatalf("claim = %v, %v", rs, err)
	}
	if err := e.db.FinishReminder(ctx, rs[0].ID, "w1", remind.Outcome{State: remind.Sent, At: now}); err != nil {
		t.Fatal(err)
	}
	return th.Thread, rs[0].ID
}

func TestReminderButtons(t *testing.T) {
	e := newEnv(t, slack.Config{})
	ctx := context.Background()
	th, rid := sentReminder(t, e)

	code, body := e.interact(t, press("U0KENJI", remind.ActionSnooze, rid, th.ID))
	if code != 200 || !strings.Contains(body, "Snoozed: I'll remind you again") || !strings.Contains(body, "09:00 (JST)") {
		t.Errorf("snooze = %d %s", code, body)
	}
	rs, err := e.db.Reminders(ctx, e.team.ID, store.ReminderFilter{})
	if err != nil || len(rs) != 1 {
		t.Fatalf("reminders = %v, %v", rs, err)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := rs[0].SendAt.In(tokyo)
	if rs[0].State != remind.Pending || at.Hour() != 9 || at.Minute() != 0 || !rs[0].SendAt.After(time.Now()) || at.Weekday() == time.Saturday || at.Weekday() == time.Sunday {
		t.Errorf("snoozed reminder = %+v (send at %s in Tokyo), want pending at Kenji's next working 09:00", rs[0], at)
	}
	// Priya cannot snooze Kenji's reminder.
	if _, body := e.interact(t, press("U0PRIYA", remind.ActionSnooze, rid, th.ID)); !strings.Contains(body, "no reminder") {
		t.Errorf("snoozing another's reminder = %s", body)
	}
	code, body = e.interact(t, press("U0KENJI", remind.ActionAcknowledge, rid, th.ID))
	if code != 200 || !strings.Contains(body, "You acknowledged *Pick the Q3 goal*. 1 still owe") || !strings.Contains(body, `"replace_original":true`) {
		t.Errorf("acknowledge = %d %s", code, body)
	}
	// Priya answers from the thread's message in the channel: the answer
	// is hers alone and leaves the channel's message as it is.
	fromChannel := press("U0PRIYA", remind.ActionAnswer, rid, th.ID)
	fromChannel["actions"].([]map[string]any)[0]["block_id"] = "rhythm_thread_" + strconv.FormatInt(th.ID, 10)
	if _, body := e.interact(t, fromChannel); !strings.Contains(body, "You answered *Pick the Q3 goal*. 0 still owe") || strings.Contains(body, "replace_original") {
		t.Errorf("answer from the channel = %s", body)
	}
	got, err := e.db.Thread(ctx, e.team.ID, th.ID)
	if err != nil || len(got.Pending()) != 0 {
		t.Errorf("thread after the buttons: pending %v, %v", got.Pending(), err)
	}
	if _, body := e.interact(t, press("U0GUEST", remind.ActionAcknowledge, rid, th.ID)); !strings.Contains(body, "can't find you") {
		t.Errorf("a guest's button = %s", body)
	}
	if code, _ := e.interact(t, map[string]any{"type": "block_actions"}); code != 400 {
		t.Errorf("payload without team and user = %d, want 400", code)
	}
}

func TestDecideModalSubmission(t *testing.T) {
	e := newEnv(t, slack.Config{})
	posted := make(chan answer, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a answer
		json.NewDecoder(r.Body).Decode(&a)
		posted <- a
	}))
	defer hook.Close()
	value := func(v string) map[string]any { return map[string]any{"type": "plain_text_input", "value": v} }
	chosen := func(v string) map[string]any {
		return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}
	}
	submit := func(values map[string]map[string]any) (int, string) {
		state := map[string]any{}
		for id, v := range values {
			state[id] = map[string]any{id: v}
		}
		return e.interact(t, map[string]any{"type": "view_submission", "team": map[string]any{"id": workspace}, "user": map[string]any{"id": "U0ANA"},
			"view": map[string]any{"id": "V1", "callback_id": slack.CallbackDecide, "private_metadata": url.Values{"channel": {channelID}, "response_url": {hook.URL}}.Encode(), "state": map[string]any{"values": state}}})
	}
	code, body := submit(map[string]map[string]any{"purpose": chosen("status-update"), "people": value("7"), "zones": value("4"),
		"urgency": chosen("72h"), "ambiguity": chosen("low")})
	if code != 200 || !strings.Contains(body, `"response_action":"update"`) || !strings.Contains(body, "*async*") {
		t.Errorf("submission = %d %s", code, body)
	}
	select {
	case a := <-posted:
		if a.ResponseType != "ephemeral" || !strings.Contains(a.Text, "*async*") {
			t.Errorf("answer posted where the command was typed = %+v", a)
		}
	case <-time.After(10 * time.Second):
		t.Error("the decision was not posted to the command's response_url")
	}
	code, body = submit(map[string]map[string]any{"purpose": chosen("status-update"), "people": value("seven"), "urgency": chosen("72h")})
	if code != 200 || !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, `"people":"A whole number from 1."`) || !strings.Contains(body, `"zones"`) {
		t.Errorf("bad submission = %d %s", code, body)
	}
}

// TestButtonOfAnotherLinkedTeam: Kenji is on two teams linked to the
// workspace, Platform (linked first) and Data. The buttons of Data's
// thread and reminder work for him, wherever he presses them; Priya, on
// Platform only, is told the button is Data's and she is not on it.
func TestButtonOfAnotherLinkedTeam(t *testing.T) {
	e := newEnv(t, slack.Config{})
	ctx := context.Background()
	data, err := team.ParseRoster("data.yaml", []byte(`team: Data
slack: {workspace: `+workspace+`, channels: [C0DATA]}
members:
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, aliases: [U0KENJI]}
  - {name: Lea Park, email: lea@example.com, zone: America/New_York}
`))
	if err != nil {
		t.Fatal(err)
	}
	if data, _, err = e.db.SaveRoster(ctx, data); err != nil {
		t.Fatal(err)
	}
	th, err := e.app.CreateThread(ctx, appSystem(), "Data", thread.NewThread{Title: "Schema freeze", Owner: "lea@example.com",
		Participants: []string{"kenji@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := e.db.AddReminders(ctx, []remind.Reminder{{TeamID: data.ID, ThreadID: th.ID, Member: "kenji@example.com", Kind: remind.Overdue,
		Channel: "slack_dm", SendAt: now, NextAttemptAt: now, CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	rs, err := e.db.ClaimReminders(ctx, "w1", now.Add(time.Second), 10)
	if err != nil || len(rs) != 1 {
		t.Fatalf("claim = %v, %v", rs, err)
	}
	if err := e.db.FinishReminder(ctx, rs[0].ID, "w1", remind.Outcome{State: remind.Sent, At: now}); err != nil {
		t.Fatal(err)
	}
	inChannel := func(p map[string]any, channel string) map[string]any {
		p["channel"] = map[string]any{"id": channel}
		return p
	}
	for _, c := range []struct {
		name    string
		payload map[string]any
		want    string
	}{
		{"snooze in his DM", press("U0KENJI", remind.ActionSnooze, rs[0].ID, th.ID), "Snoozed: I'll remind you again"},
		{"acknowledge from Platform's channel", inChannel(press("U0KENJI", remind.ActionAcknowledge, rs[0].ID, th.ID), channelID), "You acknowledged *Schema freeze*"},
		{"someone not on Data", inChannel(press("U0PRIYA", remind.ActionAnswer, rs[0].ID, th.ID), "C0DATA"), `belongs to team Data, and you are not on its roster`},
		{"someone on no linked team", press("U0GUEST", remind.ActionAnswer, rs[0].ID, th.ID), "can't find you"},
		{"a thread of no linked team", press("U0KENJI", remind.ActionAnswer, rs[0].ID, 99999), "no thread 99999"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := e.interact(t, c.payload)
			if code != 200 || !strings.Contains(body, c.want) {
				t.Errorf("= %d %s, want %q", code, body, c.want)
			}
		})
	}
	got, err := e.db.Thread(ctx, data.ID, th.ID)
	if err != nil || len(got.Pending()) != 0 {
		t.Errorf("Data's thread after Kenji's button: pending %v, %v", got.Pending(), err)
	}
}
