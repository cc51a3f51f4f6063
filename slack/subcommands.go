package slack

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/schedule"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// people maps the people a command names to roster emails: a Slack
// mention by the user's profile email or their ID as an alias, a typed
// @name by the roster's names, emails and aliases.
func (h *Handler) people(ctx context.Context, workspace string, t *team.Team, ms []Mention) ([]string, error) {
	var out []string
	for _, m := range ms {
		var (
			mb  *team.Member
			err error
		)
		if m.UserID != "" {
			email := h.email(ctx, workspace, m.UserID)
			mb, _ = t.Member(email)
			if mb == nil || email == "" {
				mb, _ = t.Member(m.UserID)
			}
			if mb == nil {
				err = rhythm.Errorf(rhythm.EINVALID, "<@%s> is not on team %s's roster", m.UserID, t.Name)
			}
		} else {
			mb, err = t.Resolve(m.Name)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, mb.Email)
	}
	return out, nil
}

// thread opens an async thread owned by the caller.
func (h *Handler) thread(ctx context.Context, c slash, text string, who app.Actor, t app.TeamOf) (reply, error) {
	args, err := ParseThread(text)
	if err != nil {
		return reply{}, err
	}
	emails, err := h.people(ctx, c.Workspace, &t.Team, args.People)
	if err != nil {
		return reply{}, err
	}
	n := thread.NewThread{Title: args.Title, Owner: who.Email, Participants: emails, Link: slackLink(c.Workspace, c.Channel)}
	if args.Due > 0 {
		n.DueBy = time.Now().Add(args.Due).UTC().Format(time.RFC3339)
	}
	v, err := h.app.CreateThread(ctx, who, t.Name, n)
	if err != nil {
		return reply{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Opened thread *%s* (#%d) on %s, owned by you. Each person owes an answer by:\n", escapeText(v.Title), v.ID, escapeText(t.Name))
	for _, d := range v.LocalDues {
		fmt.Fprintf(&b, "• %s — %s (%s)%s\n", escapeText(memberName(&t.Team, d.Member)), d.Local, d.Zone, map[bool]string{false: ", outside their working hours"}[d.Working])
	}
	if u := h.pageURL(fmt.Sprintf("/teams/%d/threads/%d", t.ID, v.ID)); u != "" {
		fmt.Fprintf(&b, "<%s|Open in rhythm>", u)
	}
	return reply{ResponseType: "in_channel", Text: b.String(), Blocks: threadBlocks(b.String(), v.ID)}, nil
}

// threadBlocks shows a new thread's message with buttons for the people
// who owe an answer: Answer and Acknowledge.
func threadBlocks(text string, id int64) []slackapi.Block {
	value := strconv.FormatInt(id, 10)
	answer := slackapi.NewButtonBlockElement(remind.ActionAnswer, value, plain("Answer"))
	answer.Style = slackapi.StylePrimary
	ack := slackapi.NewButtonBlockElement(remind.ActionAcknowledge, value, plain("Acknowledge"))
	return []slackapi.Block{
		slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil),
		slackapi.NewActionBlock("rhythm_thread_"+value, answer, ack),
	}
}

// waiting lists what the caller owes on the team's open threads.
func (h *Handler) waiting(ctx context.Context, who app.Actor, t app.TeamOf) (reply, error) {
	_, items, err := h.app.Waiting(ctx, who, t.Name, "")
	if err != nil {
		return reply{}, err
	}
	if len(items) == 0 {
		return ephemeral("You owe nothing on %s's open threads.", escapeText(t.Name)), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "You owe on %s:\n", escapeText(t.Name))
	for _, it := range items {
		due := it.Debt.Due.In(memberZone(&t.Team, who.Email)).Format("Mon 2 Jan 15:04")
		state := ""
		if it.Debt.Overdue {
			state = " — *overdue*"
		}
		fmt.Fprintf(&b, "• %s: %s by %s%s (#%d)\n", it.Debt.What, escapeText(it.Title), due, state, it.ThreadID)
	}
	return ephemeral("%s", b.String()), nil
}

// decision records a decision in the team's log, linked to the
// conversation it was typed in.
func (h *Handler) decision(ctx context.Context, c slash, text string, who app.Actor, t app.TeamOf) (reply, error) {
	what, why := splitWhy(text)
	if what == "" || why == "" {
		return reply{}, rhythm.Errorf(rhythm.EINVALID, "/rhythm decision: say what was decided and why, e.g. /rhythm decision We ship the beta on Friday because QA signed off")
	}
	d, err := h.app.RecordDecision(ctx, who, t.Name, thread.NewDecision{What: what, Why: why, Owner: who.Email, Link: slackLink(c.Workspace, c.Channel)})
	if err != nil {
		return reply{}, err
	}
	msg := fmt.Sprintf("Recorded in %s's decision log (#%d, %s): %s", escapeText(t.Name), d.ID, d.Date, escapeText(d.What))
	return reply{ResponseType: "in_channel", Text: msg}, nil
}

// findTime proposes the fairest times for the caller and the people named.
func (h *Handler) findTime(ctx context.Context, text string, who app.Actor, t app.TeamOf) (reply, error) {
	args, err := ParseTime(text)
	if err != nil {
		return reply{}, err
	}
	emails, err := h.people(ctx, t.Slack.Workspace, &t.Team, args.People)
	if err != nil {
		return reply{}, err
	}
	with := append([]string{who.Email}, emails...)
	// Through the schedule use case: connected calendars' busy time counts.
	_, res, err := h.app.Schedule(ctx, who, t.Name, schedule.Query{With: with, Duration: args.Duration.String(), Top: 3})
	if err != nil {
		return reply{}, err
	}
	rk := res.Ranking
	if rk == nil || len(rk.Slots) == 0 {
		return ephemeral("No time in the next seven days suits everyone; try fewer people or a shorter meeting."), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Fairest times for %s (%s):\n", escapeText(strings.Join(names(&t.Team, with), ", ")), team.Duration(args.Duration))
	for i, s := range rk.Slots {
		fmt.Fprintf(&b, "%d. %s%s\n", i+1, slotText(&t.Team, s, with), map[bool]string{false: " — someone is outside their hours"}[s.AllInside])
	}
	for _, w := range rk.Warnings {
		fmt.Fprintf(&b, "_%s_\n", escapeText(w))
	}
	return ephemeral("%s", b.String()), nil
}

// slotText shows a slot on each person's clock.
func slotText(t *team.Team, s schedule.Slot, with []string) string {
	var parts []string
	for _, e := range with {
		parts = append(parts, fmt.Sprintf("%s %s", firstName(memberName(t, e)), s.Start.In(memberZone(t, e)).Format("Mon 15:04")))
	}
	return strings.Join(parts, " · ")
}

func names(t *team.Team, emails []string) []string {
	out := make([]string, len(emails))
	for i, e := range emails {
		out[i] = memberName(t, e)
	}
	return out
}

func memberName(t *team.Team, email string) string {
	if m, ok := t.Member(email); ok {
		return m.Name
	}
	return email
}

func memberZone(t *team.Team, email string) *time.Location {
	if m, ok := t.Member(email); ok {
		return m.Location()
	}
	return time.UTC
}

func firstName(name string) string {
	first, _, _ := strings.Cut(name, " ")
	return first
}

// escapeText escapes the three characters Slack reads as markup.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// splitWhy splits "what because why" (or "what — why").
func splitWhy(text string) (what, why string) {
	for _, sep := range []string{" because ", " — ", " -- ", " - "} {
		if i := strings.Index(strings.ToLower(text), sep); i >= 0 {
			return strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+len(sep):])
		}
	}
	return strings.TrimSpace(text), ""
}
