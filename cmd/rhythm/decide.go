package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// decideFlags are the flags of rhythm decide, by the field of
// decide.Request they fill (for error messages that name the flag).
var decideFlags = map[string]string{
	"purpose": "purpose", "stakeholders": "stakeholders", "zones": "zones", "overlap_hours": "overlap",
	"ambiguity": "ambiguity", "urgency": "urgency", "relationship": "relationship", "stakes": "stakes",
	"functions": "functions", "with": "with", "response_window": "response-window", "meeting_max": "meeting-max",
}

// decideOpts are the flags of rhythm decide.
type decideOpts struct {
	req                               decide.Request
	stakeholders, zones, functions    int
	overlap                           float64
	record, asJSON, printPolicy       bool
	rosterFile, figuresFile, policyIn string
	with                              []string
	now                               string
}

func (a *app) decideCommand() *cobra.Command {
	var o decideOpts
	cmd := &cobra.Command{
		Use:   "decide",
		Short: "Choose async, sync or hybrid for one interaction, and say why",
		Long: `decide recommends how to hold one interaction — async, sync or hybrid (with the
hybrid playbook to follow) — from its purpose, the people and time zones involved,
ambiguity, urgency, relationship intensity and emotional stakes. The answer scores
the comparison matrix for both modes, lists every rule that fired and the fact
that fired it, and gives format advice: timebox, attendee cap, response window,
owner tag, where the decision is recorded, and with --roster a pre-read or reply
due-by inside each participant's working hours.

Purposes: PURPOSES
(aliases such as "status update", "1:1", "feedback" or "new hire" work too).
The rules live in an embedded, documented policy (see --print-policy); a team
tunes them with norms.decide in its roster.`,
		Example: `  rhythm decide --purpose "status update" --stakeholders 7 --zones 4 --ambiguity low --urgency days --relationship low
  rhythm decide --purpose brainstorm --ambiguity high --roster team.yaml --with ana,kenji,sujan
  rhythm decide --purpose incident --urgency 1h --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.printPolicy {
				_, err := a.stdout.Write(decide.DefaultPolicyYAML())
				return err
			}
			return a.decide(cmd, &o)
		},
	}
	o.register(cmd)
	lazyPurposes(cmd)
	return cmd
}

func (o *decideOpts) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.req.Purpose, "purpose", "", "what the interaction is for: status_update, announcement, brainstorm, planning, decision, review, conflict, onboarding, one_on_one, incident, social (default general)")
	f.IntVar(&o.stakeholders, "stakeholders", 0, "how many people take part (default: the purpose's, or the people named with --with)")
	f.IntVar(&o.zones, "zones", 0, "how many time zones they are in (default 1, or derived from --roster)")
	f.Float64Var(&o.overlap, "overlap", 0, "hours a week all of them are at work together (default: derived from --roster, else unknown)")
	f.StringVar(&o.req.Ambiguity, "ambiguity", "", "low, medium or high")
	f.StringVar(&o.req.Urgency, "urgency", "", "how soon a response is needed: now, hours, days, week, or a duration such as 1h or 3d")
	f.StringVar(&o.req.Relationship, "relationship", "", "relationship intensity of the moment: low, medium or high")
	f.StringVar(&o.req.Stakes, "stakes", "", "emotional stakes: low, medium or high")
	f.BoolVar(&o.record, "record", false, "a decision record is needed (default: the purpose's)")
	f.IntVar(&o.functions, "functions", 0, "how many functions or teams are involved (default 1)")
	f.StringVar(&o.req.Owner, "owner", "", "who owns the thread or meeting, for the owner tag")
	f.StringVar(&o.req.ResponseWindow, "response-window", "", "the team's response window, e.g. 24h (default: the roster's norm, else 24h)")
	f.StringVar(&o.rosterFile, "roster", "", "team.yaml: norms, and the members named with --with")
	f.StringSliceVar(&o.with, "with", nil, "roster members taking part, by email, name or alias (comma-separated)")
	f.StringVar(&o.figuresFile, "figures", "", "JSON file with the team's own figures (median_response_hours, within_window_share, sync_async_ratio, measured, ...)")
	f.StringVar(&o.policyIn, "policy", "", "a policy YAML file to use instead of the embedded one")
	f.StringVar(&o.now, "now", "", "the time the advice is for, RFC 3339 (default: now)")
	f.BoolVar(&o.asJSON, "json", false, "print the decision as one JSON object")
	f.BoolVar(&o.printPolicy, "print-policy", false, "print the embedded, documented policy and exit")
}

// request fills the optional numbers of the request from the flags that
// were given.
func (o *decideOpts) request(cmd *cobra.Command) decide.Request {
	req := o.req
	set := func(name string) bool { return cmd.Flags().Changed(name) }
	if set("stakeholders") || o.stakeholders != 0 {
		req.Stakeholders = &o.stakeholders
	}
	if set("zones") || o.zones != 0 {
		req.Zones = &o.zones
	}
	if set("functions") || o.functions != 0 {
		req.Functions = &o.functions
	}
	if set("overlap") {
		req.OverlapHours = &o.overlap
	}
	if set("record") {
		req.Record = &o.record
	}
	req.With = o.with
	return req
}

// decide answers rhythm decide: policy, roster and figures from their
// files, then the decision as text or JSON.
func (a *app) decide(cmd *cobra.Command, o *decideOpts) error {
	req := o.request(cmd)
	policy, tm, err := o.policy()
	if err != nil {
		return err
	}
	if o.figuresFile != "" {
		if req.TeamFigures, err = readFigures(o.figuresFile); err != nil {
			return err
		}
	}
	in, err := req.Input(tm)
	if err != nil {
		return flagError(err)
	}
	in.Now = cliNow()
	if o.now != "" {
		if in.Now, err = time.Parse(time.RFC3339, o.now); err != nil {
			return usagef("--now: %q is not a time such as 2026-03-02T09:00:00Z", o.now)
		}
	}
	d, err := policy.Decide(in)
	if err != nil {
		return flagError(err)
	}
	if o.asJSON {
		return json.NewEncoder(a.stdout).Encode(d)
	}
	_, err = a.stdout.Write([]byte(d.Text()))
	return err
}

// policy reads --policy (or the embedded policy) and --roster, whose
// norms tune the policy; the team is nil without --roster.
func (o *decideOpts) policy() (*decide.Policy, *team.Team, error) {
	policy, err := decide.DefaultPolicy()
	if err != nil {
		return nil, nil, err
	}
	if o.policyIn != "" {
		data, err := os.ReadFile(o.policyIn)
		if err != nil {
			return nil, nil, usagef("--policy: %v", err)
		}
		if policy, err = decide.ParsePolicy(o.policyIn, data); err != nil {
			return nil, nil, err
		}
	}
	if o.rosterFile == "" {
		return policy, nil, nil
	}
	data, err := os.ReadFile(o.rosterFile)
	if err != nil {
		return nil, nil, usagef("--roster: %v", err)
	}
	t, err := team.ParseRoster(o.rosterFile, data)
	if err != nil {
		return nil, nil, err
	}
	if policy, err = policy.ForTeam(t.Norms); err != nil {
		return nil, nil, usagef("%s: %s", o.rosterFile, rhythm.ErrorMessage(err))
	}
	return policy, &t, nil
}

// readFigures reads the team's own figures for --figures.
func readFigures(name string) (*decide.TeamFigures, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, usagef("--figures: %v", err)
	}
	var tf decide.TeamFigures
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tf); err != nil {
		return nil, usagef("%s: %v", name, err)
	}
	return &tf, nil
}

// flagError rewrites "field: message" errors of package decide to name the
// command-line flag ("--overlap: ...").
func flagError(err error) error { return fieldFlags(err, decideFlags) }

// lazyPurposes fills the purposes into cmd's help when it is shown: the
// embedded policy is parsed only then, not whenever rhythm starts.
func lazyPurposes(cmd *cobra.Command) {
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		c.Long = strings.Replace(c.Long, "PURPOSES", strings.Join(mustPolicy().PurposeIDs(), ", "), 1)
		c.SetHelpFunc(nil)
		c.HelpFunc()(c, args)
	})
}

func mustPolicy() *decide.Policy {
	p, err := decide.DefaultPolicy()
	if err != nil {
		// The embedded policy is checked by the tests; this cannot happen in
		// a released binary, and help text must not crash.
		return &decide.Policy{}
	}
	return p
}
