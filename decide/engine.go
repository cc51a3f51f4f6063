package decide

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// Limits on input, so that no input makes the engine misbehave.
const (
	MaxStakeholders = 100000
	MaxZones        = 40
	MaxFunctions    = 1000
	MaxParticipants = 1000
	maxUrgency      = 366 * 24 * time.Hour
)

// Decide answers for one interaction with the default policy.
func Decide(in Input) (Decision, error) {
	p, err := DefaultPolicy()
	if err != nil {
		return Decision{}, err
	}
	return p.Decide(in)
}

// invalid returns an EINVALID error whose message starts with the field.
func invalid(field, format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, field+": "+format, args...)
}

func validate(in *Input) error {
	switch {
	case in.Stakeholders < 0 || in.Stakeholders > MaxStakeholders:
		return invalid("stakeholders", "must be 1..%d, got %d", MaxStakeholders, in.Stakeholders)
	case in.Zones < 0 || in.Zones > MaxZones:
		return invalid("zones", "must be 1..%d, got %d", MaxZones, in.Zones)
	case in.OverlapHours != nil && !inRange(*in.OverlapHours, 0, 168):
		return invalid("overlap_hours", "must be 0..168 hours a week, got %s", num(*in.OverlapHours))
	case in.Ambiguity > High:
		return invalid("ambiguity", "must be one of low, medium, high")
	case in.Relationship > High:
		return invalid("relationship", "must be one of low, medium, high")
	case in.Stakes > High:
		return invalid("stakes", "must be one of low, medium, high")
	case in.Urgency < 0 || in.Urgency > maxUrgency:
		return invalid("urgency", "must be a positive duration up to 366d, got %s", in.Urgency)
	case in.Functions < 0 || in.Functions > MaxFunctions:
		return invalid("functions", "must be 1..%d, got %d", MaxFunctions, in.Functions)
	case in.ResponseWindow < 0 || in.ResponseWindow > maxUrgency:
		return invalid("response_window", "must be a positive duration up to 366d, got %s", in.ResponseWindow)
	case in.MeetingMax < 0 || in.MeetingMax > 24*time.Hour:
		return invalid("meeting_max", "must be a positive duration up to 24h, got %s", in.MeetingMax)
	case len(in.Owner) > 200:
		return invalid("owner", "at most 200 characters")
	case len(in.Participants) > MaxParticipants:
		return invalid("with", "at most %d participants, got %d", MaxParticipants, len(in.Participants))
	case in.Stakeholders > 0 && in.Stakeholders < len(in.Participants):
		return invalid("stakeholders", "%d is fewer than the %d participants named", in.Stakeholders, len(in.Participants))
	}
	if t := in.Team; t != nil {
		for _, f := range []struct {
			name string
			v    float64
			max  float64
		}{
			{"team_figures.weeks", float64(t.Weeks), 10000},
			{"team_figures.median_response_working_hours", t.MedianResponseWorkingHours, 10000},
			{"team_figures.median_response_hours", t.MedianResponseHours, 10000},
			{"team_figures.within_window_share", t.WithinWindowShare, 1},
			{"team_figures.overlap_hours", t.OverlapHours, 168},
			{"team_figures.sync_async_ratio", t.SyncAsyncRatio, 1e6},
			{"team_figures.meeting_hours_per_week", t.MeetingHoursPerWeek, 168},
			{"team_figures.after_hours_share", t.AfterHoursShare, 1},
		} {
			if !inRange(f.v, 0, f.max) {
				return invalid(f.name, "must be 0..%s, got %s", num(f.max), num(f.v))
			}
		}
	}
	return nil
}

// Decide answers for one interaction. Bad input gives an EINVALID error
// whose message starts with the field and lists valid values.
func (p *Policy) Decide(in Input) (Decision, error) {
	var d Decision
	if err := validate(&in); err != nil {
		return d, err
	}
	pi, ok := p.purposeIdx[normalize(in.Purpose)]
	if in.Purpose == "" {
		pi, ok = p.purposeIdx["general"], true
	}
	if !ok {
		return d, invalid("purpose", "unknown purpose %q; valid: %s", in.Purpose, strings.Join(p.PurposeIDs(), ", "))
	}
	pu := &p.purposes[pi]
	fx := &d.Facts
	fx.Purpose, fx.PurposeName = pu.id, pu.name
	d.Trace = make([]Step, 0, 16)

	// Facts, with defaults and derived values.
	var f [nFacts]float64
	var defaulted []string
	fx.Stakeholders = in.Stakeholders
	if fx.Stakeholders == 0 {
		if n := len(in.Participants); n > 0 {
			fx.Stakeholders = n
			fx.Derived = append(fx.Derived, "stakeholders")
		} else {
			fx.Stakeholders = pu.defaults.stakeholders
			defaulted = append(defaulted, "stakeholders "+strconv.Itoa(fx.Stakeholders))
		}
	}
	var rosterZones int
	var rosterOverlap float64
	week := ReferenceWeek(in.Now)
	if len(in.Participants) > 0 {
		rosterZones, rosterOverlap = ZonesAndOverlap(in.Participants, week)
		fx.Participants = make([]string, len(in.Participants))
		for i := range in.Participants {
			fx.Participants[i] = in.Participants[i].Name
		}
	}
	fx.Zones = in.Zones
	if fx.Zones == 0 {
		if rosterZones > 0 {
			fx.Zones = rosterZones
			fx.Derived = append(fx.Derived, "zones")
		} else {
			fx.Zones = 1
			defaulted = append(defaulted, "zones 1")
		}
	}
	if fx.Zones > fx.Stakeholders {
		if in.Stakeholders > 0 {
			return Decision{}, invalid("zones", "%d time zones for %d stakeholders; zones cannot exceed stakeholders", fx.Zones, fx.Stakeholders)
		}
		fx.Stakeholders = fx.Zones // the default was too small for the zones given
	}
	f[fOverlap] = math.NaN()
	switch {
	case in.OverlapHours != nil:
		f[fOverlap] = *in.OverlapHours
	case len(in.Participants) > 0:
		f[fOverlap] = rosterOverlap
		fx.Derived = append(fx.Derived, "overlap_hours")
	case in.Team != nil && in.Team.OverlapHours > 0:
		f[fOverlap] = in.Team.OverlapHours
		fx.Derived = append(fx.Derived, "overlap_hours")
	}
	if !math.IsNaN(f[fOverlap]) {
		v := math.Round(f[fOverlap]*100) / 100
		fx.OverlapHours = &v
	}
	level := func(l, def Level, name string) Level {
		if l == Unset {
			defaulted = append(defaulted, name+" "+def.String())
			return def
		}
		return l
	}
	fx.Ambiguity = level(in.Ambiguity, pu.defaults.ambiguity, "ambiguity")
	urgency := in.Urgency
	if urgency == 0 {
		urgency = pu.defaults.urgency
		defaulted = append(defaulted, "urgency "+fmtHours(urgency.Hours()))
	}
	fx.Urgency = team.Duration(urgency)
	fx.Relationship = level(in.Relationship, pu.defaults.relationship, "relationship")
	fx.Stakes = level(in.Stakes, pu.defaults.stakes, "stakes")
	if in.Record != nil {
		fx.Record = *in.Record
	} else {
		fx.Record = pu.defaults.record
		defaulted = append(defaulted, "record "+yesNo(fx.Record))
	}
	fx.Functions = max(in.Functions, 1)
	window := in.ResponseWindow
	if window == 0 {
		window = team.DefaultResponseWindow
	}
	fx.Response = team.Duration(window)

	f[fStakeholders] = float64(fx.Stakeholders)
	f[fZones] = float64(fx.Zones)
	f[fAmbiguity] = fx.Ambiguity.value()
	f[fUrgency] = urgency.Hours()
	f[fRelationship] = fx.Relationship.value()
	f[fStakes] = fx.Stakes.value()
	f[fRecord] = b2f(fx.Record)
	f[fFunctions] = float64(fx.Functions)
	f[fResponseWindow] = window.Hours()
	f[fMedianResponse], f[fUrgencyToMedian], f[fWithinWindow], f[fSyncAsyncRatio] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if t := in.Team; t != nil {
		tf := *t
		fx.Team = &tf
		switch {
		case t.MedianResponseHours > 0:
			f[fMedianResponse] = t.MedianResponseHours
		case t.MedianResponseWorkingHours > 0:
			f[fMedianResponse] = t.MedianResponseWorkingHours * p.workingToWall
		}
		if f[fMedianResponse] > 0 {
			f[fUrgencyToMedian] = f[fUrgency] / f[fMedianResponse]
		}
		if t.WithinWindowShare > 0 {
			f[fWithinWindow] = t.WithinWindowShare
		}
		if t.SyncAsyncRatio > 0 {
			f[fSyncAsyncRatio] = t.SyncAsyncRatio
		}
	}
	fx.Defaulted = defaulted

	if len(defaulted) > 0 {
		d.Trace = append(d.Trace, Step{Rule: "defaults",
			Says: "Not given, so the defaults for a " + pu.name + " apply: " + strings.Join(defaulted, ", ") + "."})
	}
	if len(in.Participants) > 0 {
		var b strings.Builder
		b.WriteString("From the roster: ")
		b.WriteString(strconv.Itoa(len(in.Participants)))
		b.WriteString(" participants in ")
		b.WriteString(plural(rosterZones, "time zone", "time zones"))
		b.WriteString(", all at work together ")
		b.WriteString(fmtHours(rosterOverlap))
		b.WriteString(" in the week of ")
		b.WriteString(week.Format(time.DateOnly))
		if in.Zones > 0 || in.OverlapHours != nil {
			b.WriteString(" (the figures given take precedence)")
		}
		b.WriteString(".")
		d.Trace = append(d.Trace, Step{Rule: "roster", Says: b.String()})
	}
	if t := in.Team; t != nil {
		d.Trace = append(d.Trace, Step{Rule: "team-figures", Says: teamFiguresText(t, f[fMedianResponse])})
	}

	// Matrix.
	lean := p.matrix(&d, pu, &f)

	// Rules.
	floor, ceil := Async, Sync
	floorRule, capRule, pb := -1, -1, -1
	strongest := [2]int{-1, -1} // most negative and most positive lean
	for i := range p.rules {
		r := &p.rules[i]
		if r.purposes != 0 && r.purposes&(1<<uint(pi)) == 0 {
			continue
		}
		if !r.fires(&f) {
			continue
		}
		lean += r.lean
		if r.hasFloor && (r.floor > floor || floorRule < 0 && r.floor == floor) {
			floor, floorRule = r.floor, i
		}
		if r.hasCap && (r.cap < ceil || capRule < 0 && r.cap == ceil) {
			ceil, capRule = r.cap, i
		}
		if pb < 0 && r.playbook >= 0 {
			pb = r.playbook
		}
		if r.lean < 0 && (strongest[0] < 0 || r.lean < p.rules[strongest[0]].lean) {
			strongest[0] = i
		}
		if r.lean > 0 && (strongest[1] < 0 || r.lean > p.rules[strongest[1]].lean) {
			strongest[1] = i
		}
		d.Trace = append(d.Trace, p.step(r, pu, &f))
	}

	// Mode: max(floor, min(cap, mode from lean)).
	leanMode := Hybrid
	if lean <= p.asyncAt {
		leanMode = Async
	} else if lean >= p.syncAt {
		leanMode = Sync
	}
	mode := max(floor, min(ceil, leanMode))
	d.Mode = mode
	d.Lean = round(lean, 2)
	d.Trace = append(d.Trace, p.resultStep(lean, leanMode, mode, floor, ceil, floorRule, capRule))

	if mode == Hybrid {
		if pb < 0 {
			pb = p.defaultPB
		}
		b := p.playbooks[pb]
		b.Steps = append([]string(nil), b.Steps...)
		d.Playbook = &b
	}

	// The rule that explains the answer best.
	why := -1
	switch {
	case mode != leanMode && mode == floor:
		why = floorRule
	case mode != leanMode && mode == ceil:
		why = capRule
	case mode == Hybrid && floor == Hybrid:
		why = floorRule
	case mode == Hybrid && ceil == Hybrid:
		why = capRule
	case mode == Async:
		why = strongest[0]
	case mode == Sync:
		why = strongest[1]
	}
	var sum strings.Builder
	sum.WriteString(mode.String())
	if d.Playbook != nil {
		sum.WriteString(" (")
		sum.WriteString(d.Playbook.Name)
		sum.WriteString(")")
	}
	sum.WriteString(": ")
	if why >= 0 {
		sum.WriteString(p.says(&p.rules[why], pu, &f))
	} else {
		sum.WriteString(d.Trace[len(d.Trace)-1].Says)
	}
	d.Summary = sum.String()

	ruled := floorRule >= 0 && floor == mode || capRule >= 0 && ceil == mode
	d.Confidence = confidence(p, lean, leanMode, mode, ruled, len(defaulted), in.Team)
	d.Advice = p.advice(&in, &d, pu, urgency, window)
	return d, nil
}

func (r *rule) fires(f *[nFacts]float64) bool {
	for _, c := range r.all {
		if !c.holds(f) {
			return false
		}
	}
	if len(r.any) == 0 {
		return true
	}
	for _, c := range r.any {
		if c.holds(f) {
			return true
		}
	}
	return false
}

// matrix scores both modes on the five criteria, weighted for the
// interaction, records the matrix and its trace step, and returns its lean.
func (p *Policy) matrix(d *Decision, pu *purpose, f *[nFacts]float64) float64 {
	w := pu.weights
	w[cSpeed] *= 1 + p.speedPerAmbiguity*f[fAmbiguity]
	urgent := f[fUrgency] <= p.urgentHours
	if urgent {
		w[cSpeed] *= 1 + p.speedUrgent
	}
	w[cRelationship] *= 1 + p.relPerLevel*f[fRelationship] + p.relPerStakes*f[fStakes]
	if f[fRecord] == 1 {
		w[cDocumentation] *= 1 + p.docRecord
	}
	var as, ss [nCriteria]float64
	for k := range nCriteria {
		as[k], ss[k] = p.criteria[k].Async, p.criteria[k].Sync
	}
	zoneLoss := p.inclZone * (f[fZones] - 1)
	overlapLoss := 0.0
	if f[fOverlap] < p.lowOverlap { // false when unknown (NaN)
		overlapLoss = p.inclOverlap
	}
	ss[cInclusivity] = math.Max(0, ss[cInclusivity]-zoneLoss-overlapLoss)
	crowdLoss := p.cogPerson * math.Max(0, f[fStakeholders]-p.smallGroup)
	ss[cCognitive] = math.Max(0, ss[cCognitive]-crowdLoss)

	m := &d.Matrix
	m.Criteria = make([]Criterion, nCriteria)
	var delta float64
	for k := range nCriteria {
		c := &p.criteria[k]
		m.Criteria[k] = Criterion{ID: c.ID, Name: c.Name, Weight: round(w[k], 3), Async: round(as[k], 2), Sync: round(ss[k], 2),
			AsyncNote: c.AsyncNote, SyncNote: c.SyncNote}
		m.Async += w[k] * as[k]
		m.Sync += w[k] * ss[k]
		delta += w[k] * (ss[k] - as[k])
	}
	m.Async, m.Sync = round(m.Async, 2), round(m.Sync, 2)
	lean := p.matrixFactor * delta

	var b strings.Builder
	b.WriteString("Weighted for a ")
	b.WriteString(pu.name)
	b.WriteString(", the matrix favours ")
	if delta < 0 {
		b.WriteString("async")
	} else {
		b.WriteString("sync")
	}
	b.WriteString(" (async ")
	b.WriteString(fmtNum(m.Async))
	b.WriteString(", sync ")
	b.WriteString(fmtNum(m.Sync))
	b.WriteString(").")
	var fact strings.Builder
	fact.WriteString("weights")
	for k := range nCriteria {
		if k > 0 {
			fact.WriteString(",")
		}
		fact.WriteString(" ")
		fact.WriteString(criterionIDs[k])
		fact.WriteString(" ")
		fact.WriteString(fmtNum(round(w[k], 3)))
	}
	if zoneLoss > 0 || overlapLoss > 0 {
		fact.WriteString("; sync inclusivity -")
		fact.WriteString(fmtNum(round(zoneLoss+overlapLoss, 2)))
		fact.WriteString(" for ")
		fact.WriteString(plural(int(f[fZones]), "time zone", "time zones"))
		if overlapLoss > 0 {
			fact.WriteString(" and low overlap")
		}
	}
	if crowdLoss > 0 {
		fact.WriteString("; sync cognitive load -")
		fact.WriteString(fmtNum(round(crowdLoss, 2)))
		fact.WriteString(" for ")
		fact.WriteString(strconv.Itoa(int(f[fStakeholders])))
		fact.WriteString(" attendees")
	}
	d.Trace = append(d.Trace, Step{Rule: "matrix", Says: b.String(), Fact: fact.String(), Effect: "lean " + signed(lean)})
	return lean
}

func (p *Policy) step(r *rule, pu *purpose, f *[nFacts]float64) Step {
	var fact strings.Builder
	sep := func() {
		if fact.Len() > 0 {
			fact.WriteString("; ")
		}
	}
	if r.purposes != 0 {
		fact.WriteString("purpose is ")
		fact.WriteString(pu.name)
	}
	for _, c := range r.all {
		sep()
		writeCond(&fact, c, f)
	}
	for _, c := range r.any {
		if c.holds(f) {
			sep()
			writeCond(&fact, c, f)
		}
	}
	var eff strings.Builder
	if r.lean != 0 {
		eff.WriteString("lean ")
		eff.WriteString(signed(r.lean))
	}
	if r.hasFloor {
		if eff.Len() > 0 {
			eff.WriteString(", ")
		}
		eff.WriteString("at least ")
		eff.WriteString(r.floor.String())
	}
	if r.hasCap {
		if eff.Len() > 0 {
			eff.WriteString(", ")
		}
		eff.WriteString("at most ")
		eff.WriteString(r.cap.String())
	}
	if r.playbook >= 0 {
		if eff.Len() > 0 {
			eff.WriteString(", ")
		}
		eff.WriteString("playbook ")
		eff.WriteString(p.playbooks[r.playbook].ID)
	}
	return Step{Rule: r.id, Says: p.says(r, pu, f), Fact: fact.String(), Effect: eff.String()}
}

func writeCond(b *strings.Builder, c cond, f *[nFacts]float64) {
	b.WriteString(factNames[c.fact])
	b.WriteString(" ")
	b.WriteString(fmtFact(c.fact, f[c.fact]))
	b.WriteString(" (")
	b.WriteString(opWords[c.op])
	b.WriteString(" ")
	r := c.rhs
	if c.rhsFact >= 0 {
		r = f[c.rhsFact]
	}
	if c.rhsName != "" && factKinds[c.fact] != kindLevel && factKinds[c.fact] != kindBool {
		b.WriteString(c.rhsName)
		b.WriteString(" ")
	}
	b.WriteString(fmtFact(c.fact, r))
	b.WriteString(")")
}

func (p *Policy) says(r *rule, pu *purpose, f *[nFacts]float64) string {
	var b strings.Builder
	for _, s := range r.says {
		switch {
		case s.fact == -1:
			b.WriteString(s.text)
		case s.fact == fPurpose:
			b.WriteString(pu.name)
		default:
			b.WriteString(fmtFact(s.fact, f[s.fact]))
		}
	}
	return b.String()
}

func (p *Policy) resultStep(lean float64, leanMode, mode, floor, ceil Mode, floorRule, capRule int) Step {
	var b strings.Builder
	b.WriteString("The lean of ")
	b.WriteString(signed(lean))
	switch leanMode {
	case Async:
		b.WriteString(" is at or below async_at ")
		b.WriteString(signed(p.asyncAt))
	case Sync:
		b.WriteString(" is at or above sync_at ")
		b.WriteString(signed(p.syncAt))
	default:
		b.WriteString(" lies between async_at ")
		b.WriteString(signed(p.asyncAt))
		b.WriteString(" and sync_at ")
		b.WriteString(signed(p.syncAt))
	}
	b.WriteString(", which gives ")
	b.WriteString(leanMode.String())
	if floorRule >= 0 && floor > min(ceil, leanMode) {
		b.WriteString("; rule ")
		b.WriteString(p.rules[floorRule].id)
		b.WriteString(" requires at least ")
		b.WriteString(floor.String())
		if ceil < leanMode && ceil < floor {
			b.WriteString(", which wins over the cap of ")
			b.WriteString(p.rules[capRule].id)
		}
	} else if capRule >= 0 && ceil < leanMode {
		b.WriteString("; rule ")
		b.WriteString(p.rules[capRule].id)
		b.WriteString(" allows at most ")
		b.WriteString(ceil.String())
	}
	b.WriteString(". Answer: ")
	b.WriteString(mode.String())
	b.WriteString(".")
	return Step{Rule: "result", Says: b.String(), Effect: mode.String()}
}

// confidence rates the answer 0..1: a lean far from the thresholds, or one
// a floor or cap rule agrees with, is surer; a rule overruling the lean is
// less sure; defaults lower it; measured team figures raise it.
func confidence(p *Policy, lean float64, leanMode, mode Mode, ruled bool, defaulted int, tf *TeamFigures) float64 {
	var c float64
	if mode == leanMode {
		var margin float64
		switch mode {
		case Async:
			margin = p.asyncAt - lean
		case Sync:
			margin = lean - p.syncAt
		default:
			margin = math.Min(lean-p.asyncAt, p.syncAt-lean)
		}
		c = 0.6 + 0.35*math.Min(1, margin/3)
		if ruled {
			// A rule of the article agrees with the lean.
			c = math.Max(c, 0.85)
		}
	} else {
		// A rule of the article decided against the lean.
		steps := int(mode) - int(leanMode)
		if steps < 0 {
			steps = -steps
		}
		c = 0.8 - 0.1*float64(steps-1)
	}
	c -= 0.03 * float64(defaulted)
	if tf != nil && tf.Measured {
		c += 0.05
	}
	return round(math.Max(0.3, math.Min(0.97, c)), 2)
}

func teamFiguresText(t *TeamFigures, median float64) string {
	var b strings.Builder
	b.WriteString("Using this team's own figures")
	if t.Measured {
		b.WriteString(" (measured")
		if t.Weeks > 0 {
			b.WriteString(" over ")
			b.WriteString(plural(t.Weeks, "week", "weeks"))
		}
		b.WriteString(")")
	} else {
		b.WriteString(" (stated, not measured)")
	}
	var parts []string
	if !math.IsNaN(median) {
		s := "median first reply " + fmtHours(median)
		if t.MedianResponseHours == 0 {
			s += " (from " + fmtHours(t.MedianResponseWorkingHours) + " of working time)"
		}
		parts = append(parts, s)
	}
	if t.WithinWindowShare > 0 {
		parts = append(parts, fmtShare(t.WithinWindowShare)+" of replies within the response window")
	}
	if t.SyncAsyncRatio > 0 {
		parts = append(parts, "sync:async ratio "+fmtNum(round(t.SyncAsyncRatio, 2)))
	}
	if t.OverlapHours > 0 {
		parts = append(parts, "team overlap "+fmtHours(t.OverlapHours)+" a week")
	}
	if len(parts) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(parts, ", "))
	}
	b.WriteString(".")
	return b.String()
}

// Formatting helpers.

func fmtFact(k int, v float64) string {
	if math.IsNaN(v) {
		return "unknown"
	}
	switch factKinds[k] {
	case kindCount:
		return strconv.Itoa(int(v))
	case kindHours:
		return fmtHours(v)
	case kindLevel:
		return Level(v + 1).String()
	case kindBool:
		return yesNo(v != 0)
	case kindShare:
		return fmtShare(v)
	default:
		return fmtNum(round(v, 2))
	}
}

// fmtHours writes hours as "30m", "4h", "1.5h" or "3d".
func fmtHours(h float64) string {
	switch {
	case h < 1 && h > 0:
		return strconv.Itoa(int(math.Round(h*60))) + "m"
	case h >= 48 && math.Mod(h, 24) == 0:
		return strconv.Itoa(int(h/24)) + "d"
	default:
		return fmtNum(round(h, 1)) + "h"
	}
}

func fmtShare(v float64) string { return strconv.Itoa(int(math.Round(v*100))) + "%" }

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func signed(v float64) string {
	v = round(v, 2)
	if v > 0 {
		return "+" + fmtNum(v)
	}
	if v == 0 {
		return "0"
	}
	return fmtNum(v)
}

func round(v float64, places int) float64 {
	s := math.Pow(10, float64(places))
	return math.Round(v*s) / s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
