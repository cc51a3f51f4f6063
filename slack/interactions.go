package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/remind"
)

// Interactions serves POST /slack/interactions: the buttons on reminders
// (Answer, Acknowledge, Snooze to my next working morning) and the decide
// modal's submission.
func (h *Handler) Interactions(w http.ResponseWriter, r *http.Request) {
	body, ok := h.verify(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	var cb slackapi.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil || cb.Team.ID == "" || cb.User.ID == "" {
		writeError(w, rhythm.Errorf(rhythm.EINVALID, "not an interaction payload"))
		return
	}
	switch cb.Type {
	case slackapi.InteractionTypeViewSubmission:
		if cb.View.CallbackID != CallbackDecide {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, h.submitDecide(r.Context(), &cb))
	case slackapi.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, h.button(r.Context(), &cb, cb.ActionCallback.BlockActions[0]))
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// button runs a reminder button as the member who pressed it and answers
// with a message that replaces the buttons.
func (h *Handler) button(ctx context.Context, cb *slackapi.InteractionCallback, a *slackapi.BlockAction) reply {
	threadID, err := strconv.ParseInt(a.Value, 10, 64)
	if err != nil {
		return ephemeral("This button does not name a thread.")
	}
	who, t, err := h.app.SlackThreadCaller(ctx, app.SlackApp(cb.Team.ID), threadID, h.email(ctx, cb.Team.ID, cb.User.ID), cb.User.ID)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return ephemeral("%s", unmapped)
	}
	var text string
	if err == nil {
		text, err = h.act(ctx, who, t, a, threadID)
	}
	if err != nil {
		if code := rhythm.ErrorCode(err); code == rhythm.EINTERNAL || code == rhythm.EUNAVAILABLE {
			h.log.Error("slack button failed", "action", a.ActionID, "err", err)
			return ephemeral("Something went wrong on the rhythm server; try again in a minute.")
		}
		return ephemeral("%s", rhythm.ErrorMessage(err))
	}
	// A reminder is the member's own direct message: the answer replaces
	// its buttons. A thread's message is the channel's: the answer is the
	// member's alone.
	return reply{ResponseType: "ephemeral", Text: text, ReplaceOriginal: strings.HasPrefix(a.BlockID, "rhythm_reminder_")}
}

// act does what the button says.
func (h *Handler) act(ctx context.Context, who app.Actor, t app.TeamOf, a *slackapi.BlockAction, threadID int64) (string, error) {
	switch a.ActionID {
	case remind.ActionAnswer, remind.ActionAcknowledge:
		kind := map[string]string{remind.ActionAnswer: "answer", remind.ActionAcknowledge: "ack"}[a.ActionID]
		v, err := h.app.Respond(ctx, who, t.Name, threadID, kind, "")
		if err != nil {
			return "", err
		}
		done := map[string]string{"answer": "answered", "ack": "acknowledged"}[kind]
		return fmt.Sprintf("You %s *%s*. %d still owe an answer.", done, escapeText(v.Title), len(v.Pending)), nil
	case remind.ActionSnooze:
		id, err := strconv.ParseInt(strings.TrimPrefix(a.BlockID, "rhythm_reminder_"), 10, 64)
		if err != nil {
			return "", rhythm.Errorf(rhythm.EINVALID, "this button does not name a reminder")
		}
		until, err := h.app.SnoozeReminder(ctx, who, t.Name, id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Snoozed: I'll remind you again %s.", until.In(memberZone(&t.Team, who.Email)).Format("Monday 2 Jan at 15:04 (MST)")), nil
	}
	return "", rhythm.Errorf(rhythm.EINVALID, "unknown button %q", a.ActionID)
}
