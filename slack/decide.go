package slack

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// CallbackDecide is the callback ID of the decide modal.
const CallbackDecide = "rhythm_decide"

// urgencies are the decide form's choices.
var urgencies = []struct {
	label string
	d     time.Duration
}{
	{"Within the hour", decide.UrgencyNow}, {"Today", decide.UrgencyHours}, {"Tomorrow", 24 * time.Hour},
	{"In a few days", decide.UrgencyDays}, {"This week", decide.UrgencyWeek}, {"No rush", 14 * 24 * time.Hour},
}

// decide answers /rhythm decide: directly when the words say enough,
// else with the decide form in a modal, filled with what they said.
func (h *Handler) decide(ctx context.Context, c slash, text string) (reply, error) {
	p, err := decide.DefaultPolicy()
	if err != nil {
		return reply{}, err
	}
	g := GuessDecide(p, text)
	if strings.TrimSpace(text) != "" && len(g.Missing) == 0 {
		norms := h.norms(ctx, c)
		return reply{ResponseType: "ephemeral", Text: h.decisionText(p, g.Input, norms)}, nil
	}
	if h.api == nil || c.TriggerID == "" {
		return ephemeral("Say also the %s, e.g. `/rhythm decide status update to 7 people in 4 zones, due in 2 days`.", strings.Join(g.Missing, ", ")), nil
	}
	// The command's response_url (valid for 30 minutes) rides along, so
	// the submitted form's answer is posted where the command was typed.
	meta := url.Values{"channel": {c.Channel}, "response_url": {c.ResponseURL}}.Encode()
	if _, err := h.api.OpenViewContext(ctx, c.TriggerID, decideModal(p, g.Input, meta)); err != nil {
		return reply{}, fmt.Errorf("slack views.open: %w", err)
	}
	if strings.TrimSpace(text) == "" {
		return ephemeral("Opened the decide form."), nil
	}
	return ephemeral("Opened the decide form: the words did not say the %s.", strings.Join(g.Missing, ", ")), nil
}

// norms are the caller's team's norms, when they map to a member.
func (h *Handler) norms(ctx context.Context, c slash) *team.Norms {
	_, t, err := h.caller(ctx, c.Workspace, c.Channel, c.User)
	if err != nil {
		return nil
	}
	return &t.Norms
}

// decisionText is the mode, the one-line summary, the top rules and a link
// to the full trace.
func (h *Handler) decisionText(p *decide.Policy, in decide.Input, norms *team.Norms) string {
	in.Now = time.Now()
	if norms != nil {
		in.ResponseWindow, in.MeetingMax = norms.ResponseWindow.D(), norms.MeetingMax.D()
	}
	d, err := p.Decide(in)
	if err != nil {
		return rhythm.ErrorMessage(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* — %s\n", d.Mode, escapeText(d.Summary))
	n := 0
	for _, s := range d.Trace {
		switch s.Rule {
		case "matrix", "roster", "team-figures", "result":
			continue
		}
		if n++; n > 3 {
			break
		}
		fmt.Fprintf(&b, "• %s\n", escapeText(s.Says))
	}
	q := url.Values{"purpose": {in.Purpose}, "stakeholders": {strconv.Itoa(in.Stakeholders)}, "zones": {strconv.Itoa(in.Zones)},
		"urgency": {team.Duration(in.Urgency).String()}}
	for k, l := range map[string]decide.Level{"ambiguity": in.Ambiguity, "relationship": in.Relationship, "stakes": in.Stakes} {
		if l != decide.Unset {
			q.Set(k, l.String())
		}
	}
	if u := h.pageURL("/decide?" + q.Encode()); u != "" {
		fmt.Fprintf(&b, "<%s|The full trace in rhythm>", u)
	}
	return b.String()
}

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

func option(value, label string) *slackapi.OptionBlockObject {
	return slackapi.NewOptionBlockObject(value, plain(label), nil)
}

// selectBlock is a choice in the form, with initial as the chosen value.
func selectBlock(id, label, initial string, opts []*slackapi.OptionBlockObject, optional bool) *slackapi.InputBlock {
	el := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, plain("Choose"), id, opts...)
	for _, o := range opts {
		if o.Value == initial {
			el.InitialOption = o
		}
	}
	b := slackapi.NewInputBlock(id, plain(label), nil, el)
	b.Optional = optional
	return b
}

// numberBlock is a whole-number field.
func numberBlock(id, label string, initial int) *slackapi.InputBlock {
	el := slackapi.NewNumberInputBlockElement(plain("e.g. 5"), id, false)
	if initial > 0 {
		el.InitialValue = strconv.Itoa(initial)
	}
	return slackapi.NewInputBlock(id, plain(label), nil, el)
}

// decideModal is the decide form: purpose, people, zones, urgency,
// ambiguity, relationship and stakes, filled with in.
func decideModal(p *decide.Policy, in decide.Input, meta string) slackapi.ModalViewRequest {
	var purposes []*slackapi.OptionBlockObject
	for _, id := range p.PurposeIDs() {
		purposes = append(purposes, option(id, p.PurposeName(id)))
	}
	initialPurpose := ""
	for _, id := range p.PurposeIDs() {
		if p.PurposeName(id) == p.PurposeName(in.Purpose) && in.Purpose != "" {
			initialPurpose = id
		}
	}
	var urg []*slackapi.OptionBlockObject
	initialUrg := ""
	for _, u := range urgencies {
		v := team.Duration(u.d).String()
		urg = append(urg, option(v, u.label))
		if in.Urgency > 0 && in.Urgency <= u.d && initialUrg == "" {
			initialUrg = v
		}
	}
	levels := []*slackapi.OptionBlockObject{option("low", "Low"), option("medium", "Medium"), option("high", "High")}
	lv := func(l decide.Level) string {
		if l == decide.Unset {
			return ""
		}
		return l.String()
	}
	return slackapi.ModalViewRequest{
		Type: slackapi.VTModal, CallbackID: CallbackDecide, PrivateMetadata: meta,
		Title: plain("Async or sync?"), Submit: plain("Decide"), Close: plain("Cancel"),
		Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{
			selectBlock("purpose", "What is it for?", initialPurpose, purposes, false),
			numberBlock("people", "How many people?", in.Stakeholders),
			numberBlock("zones", "In how many time zones?", in.Zones),
			selectBlock("urgency", "When is an answer needed?", initialUrg, urg, false),
			selectBlock("ambiguity", "How ambiguous is it?", lv(in.Ambiguity), levels, true),
			selectBlock("relationship", "How much does it need trust or rapport?", lv(in.Relationship), levels, true),
			selectBlock("stakes", "How high are the emotional stakes?", lv(in.Stakes), levels, true),
		}},
	}
}

// readDecideForm reads a submitted decide form; errs maps block IDs to
// what is wrong with them.
func readDecideForm(state *slackapi.ViewState) (in decide.Input, errs map[string]string) {
	errs = map[string]string{}
	get := func(id string) string {
		if state == nil {
			return ""
		}
		a := state.Values[id][id]
		if a.SelectedOption.Value != "" {
			return a.SelectedOption.Value
		}
		return strings.TrimSpace(a.Value)
	}
	in.Purpose = get("purpose")
	if in.Purpose == "" {
		errs["purpose"] = "Choose what it is for."
	}
	for _, f := range []struct {
		id  string
		dst *int
	}{{"people", &in.Stakeholders}, {"zones", &in.Zones}} {
		n, err := strconv.Atoi(get(f.id))
		if err != nil || n < 1 || n > 10000 {
			errs[f.id] = "A whole number from 1."
		}
		*f.dst = n
	}
	var err error
	if in.Urgency, err = decide.ParseUrgency(get("urgency")); err != nil {
		errs["urgency"] = "Choose when an answer is needed."
	}
	for _, f := range []struct {
		id  string
		dst *decide.Level
	}{{"ambiguity", &in.Ambiguity}, {"relationship", &in.Relationship}, {"stakes", &in.Stakes}} {
		if v := get(f.id); v != "" {
			if *f.dst, err = decide.ParseLevel(v); err != nil {
				errs[f.id] = "Low, medium or high."
			}
		}
	}
	return in, errs
}

// submitDecide answers a submitted decide form by showing the decision in
// the modal, or the fields to fix.
func (h *Handler) submitDecide(ctx context.Context, cb *slackapi.InteractionCallback) *slackapi.ViewSubmissionResponse {
	in, errs := readDecideForm(cb.View.State)
	if len(errs) > 0 {
		return slackapi.NewErrorsViewSubmissionResponse(errs)
	}
	p, err := decide.DefaultPolicy()
	if err != nil {
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"purpose": "The decision policy could not be read."})
	}
	meta, _ := url.ParseQuery(cb.View.PrivateMetadata)
	norms := h.norms(ctx, slash{Workspace: cb.Team.ID, Channel: meta.Get("channel"), User: cb.User.ID})
	text := h.decisionText(p, in, norms)
	if ru := meta.Get("response_url"); ru != "" {
		h.work.Add(1)
		go func() {
			defer h.work.Done()
			h.respond(ru, ephemeral("%s", text))
		}()
	}
	view := &slackapi.ModalViewRequest{Type: slackapi.VTModal, Title: plain("Async or sync?"), Close: plain("Done"),
		Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{
			slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil),
		}}}
	return slackapi.NewUpdateViewSubmissionResponse(view)
}
