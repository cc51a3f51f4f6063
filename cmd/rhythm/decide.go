package main

import (
	"bytes"
	"encoding/json"
	"errors"
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

func (a *app) decideCommand() *cobra.Command {
	var (
		req                               decide.Request
		stakeholders, zones, functions    int
		overlap                           float64
		record, asJSON, printPolicy       bool
		rosterFile, figuresFile, policyIn string
		with                              []string
		now                               string
	)
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
  rhythm decide --purpose brainstorm --ambiguity high --roster team.yaml --with ana@example.com,kenji@example.com,priya@example.com
  rhythm decide --purpose incident --urgency 1h --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if printPolicy {
				_, err := a.stdout.Write(decide.DefaultPolicyYAML())
				return err
			}
			set := func(name string) bool { return cmd.Flags().Changed(name) }
			if set("stakeholders") || stakeholders != 0 {
				req.Stakeholders = &stakeholders
			}
			if set("zones") || zones != 0 {
				req.Zones = &zones
			}
			if set("functions") || functions != 0 {
				req.Functions = &functions
			}
			if set("overlap") {
				req.OverlapHours = &overlap
			}
			if set("record") {
				req.Record = &record
			}
			req.With = with

			policy, err := decide.DefaultPolicy()
			if err != nil {
				return err
			}
			if policyIn != "" {
				data, err := os.ReadFile(policyIn)
				if err != nil {
					return usagef("--policy: %v", err)
				}
				if policy, err = decide.ParsePolicy(policyIn, data); err != nil {
					return err
				}
			}
			var tm *team.Team
			if rosterFile != "" {
				data, err := os.ReadFile(rosterFile)
				if err != nil {
					return usagef("--roster: %v", err)
				}
				t, err := team.ParseRoster(rosterFile, data)
				if err != nil {
					return err
				}
				if policy, err = policy.ForTeam(t.Norms); err != nil {
					return usagef("%s: %s", rosterFile, rhythm.ErrorMessage(err))
				}
				tm = &t
			}
			if figuresFile != "" {
				data, err := os.ReadFile(figuresFile)
				if err != nil {
					return usagef("--figures: %v", err)
				}
				var tf decide.TeamFigures
				dec := json.NewDecoder(bytes.NewReader(data))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&tf); err != nil {
					return usagef("%s: %v", figuresFile, err)
				}
				req.TeamFigures = &tf
			}
			in, err := req.Input(tm)
			if err != nil {
				return flagError(err)
			}
			in.Now = time.Now()
			if now != "" {
				if in.Now, err = time.Parse(time.RFC3339, now); err != nil {
					return usagef("--now: %q is not a time such as 2026-03-02T09:00:00Z", now)
				}
			}
			d, err := policy.Decide(in)
			if err != nil {
				return flagError(err)
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(d)
			}
			_, err = a.stdout.Write([]byte(d.Text()))
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Purpose, "purpose", "", "what the interaction is for: status_update, announcement, brainstorm, planning, decision, review, conflict, onboarding, one_on_one, incident, social (default general)")
	f.IntVar(&stakeholders, "stakeholders", 0, "how many people take part (default: the purpose's, or the people named with --with)")
	f.IntVar(&zones, "zones", 0, "how many time zones they are in (default 1, or derived from --roster)")
	f.Float64Var(&overlap, "overlap", 0, "hours a week all of them are at work together (default: derived from --roster, else unknown)")
	f.StringVar(&req.Ambiguity, "ambiguity", "", "low, medium or high")
	f.StringVar(&req.Urgency, "urgency", "", "how soon a response is needed: now, hours, days, week, or a duration such as 1h or 3d")
	f.StringVar(&req.Relationship, "relationship", "", "relationship intensity of the moment: low, medium or high")
	f.StringVar(&req.Stakes, "stakes", "", "emotional stakes: low, medium or high")
	f.BoolVar(&record, "record", false, "a decision record is needed (default: the purpose's)")
	f.IntVar(&functions, "functions", 0, "how many functions or teams are involved (default 1)")
	f.StringVar(&req.Owner, "owner", "", "who owns the thread or meeting, for the owner tag")
	f.StringVar(&req.ResponseWindow, "response-window", "", "the team's response window, e.g. 24h (default: the roster's norm, else 24h)")
	f.StringVar(&rosterFile, "roster", "", "team.yaml: norms, and the members named with --with")
	f.StringSliceVar(&with, "with", nil, "roster members taking part, by email, name or alias (comma-separated)")
	f.StringVar(&figuresFile, "figures", "", "JSON file with the team's own figures (median_response_hours, within_window_share, sync_async_ratio, measured, ...)")
	f.StringVar(&policyIn, "policy", "", "a policy YAML file to use instead of the embedded one")
	f.StringVar(&now, "now", "", "the time the advice is for, RFC 3339 (default: now)")
	f.BoolVar(&asJSON, "json", false, "print the decision as one JSON object")
	f.BoolVar(&printPolicy, "print-policy", false, "print the embedded, documented policy and exit")
	lazyPurposes(cmd)
	return cmd
}

// flagError rewrites "field: message" errors of package decide to name the
// command-line flag ("--overlap: ...").
func flagError(err error) error {
	var re *rhythm.Error
	if !errors.As(err, &re) {
		return err
	}
	field, rest, ok := strings.Cut(re.Message, ": ")
	if name, known := decideFlags[field]; ok && known {
		return usagef("--%s: %s", name, rest)
	}
	return err
}

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
