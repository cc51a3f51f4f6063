package decide

import (
	"math"
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
	pi, ok := p.purposeIdx[in.Purpose]
	if !ok {
		pi, ok = p.purposeIdx[normalize(in.Purpose)]
	}
	if in.Purpose == "" {
		pi, ok = p.purposeIdx["general"], true
	}
	if !ok {
		return d, invalid("purpose", "unknown purpose %q; valid: %s", in.Purpose, strings.Join(p.PurposeIDs(), ", "))
	}
	pu := &p.purposes[pi]
	fx := &d.Facts
	fx.Purpose, fx.PurposeName = pu.id, pu.name
	// Which rules fire, so that the trace gets its full size at once and
	// the arena's pointers into it stay valid.
	var f [nFacts]float64
	var fired [maxRules / 64]uint64
	nFired := 0
	a := getArena()
	defer a.release()

	// Facts, with defaults and derived values.
	fx.Defaulted = make([]string, 0, 8) // never grows: pointers into it stay valid
	deflt := func(name string) int {
		fx.Defaulted = append(fx.Defaulted, "")
		m := a.mark()
		a.s(name).s(" ")
		return m
	}
	done := func(m int) { a.end(m, &fx.Defaulted[len(fx.Defaulted)-1]) }
	fx.Stakeholders = in.Stakeholders
	if fx.Stakeholders == 0 {
		if n := len(in.Participants); n > 0 {
			fx.Stakeholders = n
			fx.Derived = append(fx.Derived, "stakeholders")
		} else {
			fx.Stakeholders = pu.defaults.stakeholders
			m := deflt("stakeholders")
			a.int(fx.Stakeholders)
			done(m)
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
			m := deflt("zones")
			a.s("1")
			done(m)
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
		v := round(f[fOverlap], 2)
		fx.OverlapHours = &v
	}
	level := func(l, def Level, name string) Level {
		if l == Unset {
			m := deflt(name)
			a.s(def.String())
			done(m)
			return def
		}
		return l
	}
	fx.Ambiguity = level(in.Ambiguity, pu.defaults.ambiguity, "ambiguity")
	urgency := in.Urgency
	if urgency == 0 {
		urgency = pu.defaults.urgency
		m := deflt("urgency")
		a.hours(urgency.Hours())
		done(m)
	}
	fx.Urgency = team.Duration(urgency)
	fx.Relationship = level(in.Relationship, pu.defaults.relationship, "relationship")
	fx.Stakes = level(in.Stakes, pu.defaults.stakes, "stakes")
	if in.Record != nil {
		fx.Record = *in.Record
	} else {
		fx.Record = pu.defaults.record
		m := deflt("record")
		a.s(yesNo(fx.Record))
		done(m)
	}
	if len(fx.Defaulted) == 0 {
		fx.Defaulted = nil
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

	for i := range p.rules {
		r := &p.rules[i]
		if (r.purposes == 0 || r.purposes&(1<<uint(pi)) != 0) && r.fires(&f) {
			fired[i/64] |= 1 << uint(i%64)
			nFired++
		}
	}
	d.Trace = make([]Step, 0, nFired+5)

	if len(fx.Defaulted) > 0 {
		d.Trace = append(d.Trace, Step{Rule: "defaults"})
		m := a.mark()
		a.s("Not given, so the defaults for a ").s(pu.name).s(" apply: ")
		for i, s := range a.spans[:len(fx.Defaulted)] { // the defaults were the first strings
			if i > 0 {
				a.s(", ")
			}
			a.b = append(a.b, a.b[s[0]:s[1]]...)
		}
		a.s(".")
		a.end(m, &d.Trace[len(d.Trace)-1].Says)
	}
	if len(in.Participants) > 0 {
		d.Trace = append(d.Trace, Step{Rule: "roster"})
		m := a.mark()
		a.s("From the roster: ").int(len(in.Participants)).s(" participants in ").plural(rosterZones, "time zone", "time zones").
			s(", all at work together ").hours(rosterOverlap).s(" in the week of ").s(week.Format(time.DateOnly))
		if in.Zones > 0 || in.OverlapHours != nil {
			a.s(" (the figures given take precedence)")
		}
		a.s(".")
		a.end(m, &d.Trace[len(d.Trace)-1].Says)
	}
	if t := in.Team; t != nil {
		d.Trace = append(d.Trace, Step{Rule: "team-figures"})
		m := a.mark()
		teamFiguresText(a, t, f[fMedianResponse])
		a.end(m, &d.Trace[len(d.Trace)-1].Says)
	}

	// Matrix.
	lean := p.matrix(a, &d, pu, &f)

	// Rules.
	floor, ceil := Async, Sync
	floorRule, capRule, pb := -1, -1, -1
	for i := range p.rules {
		if fired[i/64]&(1<<uint(i%64)) == 0 {
			continue
		}
		r := &p.rules[i]
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
		p.step(a, &d, r, pu, &f)
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
	p.resultStep(a, &d, lean, leanMode, mode, floor, ceil, floorRule, capRule)

	if mode == Hybrid {
		if pb < 0 {
			pb = p.defaultPB
		}
		b := p.playbooks[pb]
		b.Steps = append([]string(nil), b.Steps...)
		d.Playbook = &b
	}

	// The summary names the mode and quotes the rule that explains it best;
	// a rule qualifies only if its reason suits the mode and, for a hybrid
	// answer, it names no other playbook.
	why, generic := p.explain(&fired, mode, leanMode, floor, ceil, floorRule, capRule, pb)
	m := a.mark()
	a.s(mode.String())
	if d.Playbook != nil {
		a.s(" (").s(d.Playbook.Name).s(")")
	}
	a.s(": ")
	if why >= 0 {
		p.says(a, &p.rules[why], pu, &f)
	} else {
		a.s(generic)
	}
	a.end(m, &d.Summary)

	ruled := floorRule >= 0 && floor == mode || capRule >= 0 && ceil == mode
	pinned := floorRule >= 0 && capRule >= 0 && floor == mode && ceil == mode
	d.Confidence = confidence(p, lean, leanMode, mode, ruled, pinned, len(fx.Defaulted), in.Team)
	d.Advice = p.advice(&in, &d, pu, urgency, window)
	a.finish() // before d is copied out
	return d, nil
}

// explain picks the fired rule whose reason best explains mode, or returns
// -1 and a plain sentence that names only mode. A floor or cap that set the
// mode explains it first; otherwise the fired rule that pushed hardest
// toward the mode (for hybrid, a hybrid floor or cap) does.
func (p *Policy) explain(fired *[maxRules / 64]uint64, mode, leanMode, floor, ceil Mode, floorRule, capRule, pb int) (int, string) {
	ok := func(i int) bool {
		if i < 0 || fired[i/64]&(1<<uint(i%64)) == 0 {
			return false
		}
		r := &p.rules[i]
		if r.suits&(1<<uint(mode)) == 0 {
			return false
		}
		return mode != Hybrid || r.playbook < 0 || r.playbook == pb
	}
	switch {
	case floorRule >= 0 && mode == floor && floor > min(ceil, leanMode):
		if ok(floorRule) {
			return floorRule, ""
		}
		return -1, "the rules require at least " + mode.String() + "."
	case capRule >= 0 && mode == ceil && ceil < leanMode:
		if ok(capRule) {
			return capRule, ""
		}
		return -1, "the rules allow at most " + mode.String() + "."
	}
	generic := "the matrix and the rules together favour " + mode.String() + "."
	if mode == Hybrid {
		if floor == Hybrid && ok(floorRule) {
			return floorRule, ""
		}
		if ceil == Hybrid && ok(capRule) {
			return capRule, ""
		}
		return -1, generic
	}
	best := -1
	for i := range p.rules {
		if !ok(i) {
			continue
		}
		l := p.rules[i].lean
		if mode == Async {
			l = -l
		}
		if l > 0 && (best < 0 || l > math.Abs(p.rules[best].lean)) {
			best = i
		}
	}
	return best, generic
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
func (p *Policy) matrix(a *arena, d *Decision, pu *purpose, f *[nFacts]float64) float64 {
	w := pu.weights
	w[cSpeed] *= 1 + p.speedPerAmbiguity*f[fAmbiguity]
	if f[fUrgency] <= p.urgentHours {
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

	mx := &d.Matrix
	mx.Criteria = make([]Criterion, nCriteria)
	var delta float64
	for k := range nCriteria {
		c := &p.criteria[k]
		mx.Criteria[k] = Criterion{ID: c.ID, Name: c.Name, Weight: round(w[k], 3), Async: round(as[k], 2), Sync: round(ss[k], 2),
			AsyncNote: c.AsyncNote, SyncNote: c.SyncNote}
		mx.Async += w[k] * as[k]
		mx.Sync += w[k] * ss[k]
		delta += w[k] * (ss[k] - as[k])
	}
	mx.Async, mx.Sync = round(mx.Async, 2), round(mx.Sync, 2)
	lean := p.matrixFactor * delta

	d.Trace = append(d.Trace, Step{Rule: "matrix"})
	st := &d.Trace[len(d.Trace)-1]
	m := a.mark()
	a.s("Weighted for a ").s(pu.name).s(", the matrix favours ")
	if delta < 0 {
		a.s("async")
	} else {
		a.s("sync")
	}
	a.s(" (async ").num(mx.Async).s(", sync ").num(mx.Sync).s(").")
	a.end(m, &st.Says)
	m = a.mark()
	a.s("weights")
	for k := range nCriteria {
		if k > 0 {
			a.s(",")
		}
		a.s(" ").s(criterionIDs[k]).s(" ").num(round(w[k], 3))
	}
	if zoneLoss > 0 || overlapLoss > 0 {
		a.s("; sync inclusivity -").num(round(zoneLoss+overlapLoss, 2)).s(" for ").plural(int(f[fZones]), "time zone", "time zones")
		if overlapLoss > 0 {
			a.s(" and low overlap")
		}
	}
	if crowdLoss > 0 {
		a.s("; sync cognitive load -").num(round(crowdLoss, 2)).s(" for ").int(int(f[fStakeholders])).s(" attendees")
	}
	a.end(m, &st.Fact)
	m = a.mark()
	a.s("lean ").signed(lean)
	a.end(m, &st.Effect)
	return lean
}

// step appends the trace step of a fired rule.
func (p *Policy) step(a *arena, d *Decision, r *rule, pu *purpose, f *[nFacts]float64) {
	d.Trace = append(d.Trace, Step{Rule: r.id})
	st := &d.Trace[len(d.Trace)-1]
	m := a.mark()
	p.says(a, r, pu, f)
	a.end(m, &st.Says)

	m = a.mark()
	sep := func() {
		if len(a.b) > m {
			a.s("; ")
		}
	}
	if r.purposes != 0 {
		a.s("purpose is ").s(pu.name)
	}
	for _, c := range r.all {
		sep()
		writeCond(a, c, f)
	}
	for _, c := range r.any {
		if c.holds(f) {
			sep()
			writeCond(a, c, f)
		}
	}
	a.end(m, &st.Fact)

	m = a.mark()
	sep = func() {
		if len(a.b) > m {
			a.s(", ")
		}
	}
	if r.lean != 0 {
		a.s("lean ").signed(r.lean)
	}
	if r.hasFloor {
		sep()
		a.s("at least ").s(r.floor.String())
	}
	if r.hasCap {
		sep()
		a.s("at most ").s(r.cap.String())
	}
	if r.playbook >= 0 {
		sep()
		a.s("playbook ").s(p.playbooks[r.playbook].ID)
	}
	a.end(m, &st.Effect)
}

func writeCond(a *arena, c cond, f *[nFacts]float64) {
	a.s(factNames[c.fact]).s(" ").fact(c.fact, f[c.fact]).s(" (").s(opWords[c.op]).s(" ")
	r := c.rhs
	if c.rhsFact >= 0 {
		r = f[c.rhsFact]
	}
	if c.rhsName != "" && factKinds[c.fact] != kindLevel && factKinds[c.fact] != kindBool {
		a.s(c.rhsName).s(" ")
	}
	a.fact(c.fact, r).s(")")
}

// says writes a rule's plain-words reason with the facts filled in.
func (p *Policy) says(a *arena, r *rule, pu *purpose, f *[nFacts]float64) {
	for _, s := range r.says {
		switch {
		case s.fact == -1:
			a.s(s.text)
		case s.fact == fPurpose:
			a.s(pu.name)
		default:
			a.fact(s.fact, f[s.fact])
		}
	}
}

func (p *Policy) resultStep(a *arena, d *Decision, lean float64, leanMode, mode, floor, ceil Mode, floorRule, capRule int) {
	d.Trace = append(d.Trace, Step{Rule: "result", Effect: mode.String()})
	st := &d.Trace[len(d.Trace)-1]
	m := a.mark()
	a.s("The lean of ").signed(lean)
	switch leanMode {
	case Async:
		a.s(" is at or below async_at ").signed(p.asyncAt)
	case Sync:
		a.s(" is at or above sync_at ").signed(p.syncAt)
	default:
		a.s(" lies between async_at ").signed(p.asyncAt).s(" and sync_at ").signed(p.syncAt)
	}
	a.s(", which gives ").s(leanMode.String())
	if floorRule >= 0 && floor > min(ceil, leanMode) {
		a.s("; rule ").s(p.rules[floorRule].id).s(" requires at least ").s(floor.String())
		if ceil < leanMode && ceil < floor {
			a.s(", which wins over the cap of ").s(p.rules[capRule].id)
		}
	} else if capRule >= 0 && ceil < leanMode {
		a.s("; rule ").s(p.rules[capRule].id).s(" allows at most ").s(ceil.String())
	}
	a.s(". Answer: ").s(mode.String()).s(".")
	a.end(m, &st.Says)
}

// confidence rates the answer 0..1: a mode fixed by rules from both sides,
// a lean far from the thresholds, or one a floor or cap rule agrees with, is
// surer; a rule overruling the lean is less sure; defaults lower it;
// measured team figures raise it.
func confidence(p *Policy, lean float64, leanMode, mode Mode, ruled, pinned bool, defaulted int, tf *TeamFigures) float64 {
	var c float64
	if pinned {
		// The policy's rules fix the mode from both sides (a playbook).
		c = 0.9
	} else if mode == leanMode {
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
			// A rule of the policy agrees with the lean.
			c = math.Max(c, 0.85)
		}
	} else {
		// A rule of the policy decided against the lean.
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

func teamFiguresText(a *arena, t *TeamFigures, median float64) {
	a.s("Using this team's own figures")
	if t.Measured {
		a.s(" (measured")
		if t.Weeks > 0 {
			a.s(" over ").plural(t.Weeks, "week", "weeks")
		}
		a.s(")")
	} else {
		a.s(" (stated, not measured)")
	}
	sep := ": "
	part := func() *arena {
		s := sep
		sep = ", "
		return a.s(s)
	}
	if !math.IsNaN(median) {
		part().s("median first reply ").hours(median)
		if t.MedianResponseHours == 0 {
			a.s(" (from ").hours(t.MedianResponseWorkingHours).s(" of working time)")
		}
	}
	if t.WithinWindowShare > 0 {
		part().share(t.WithinWindowShare).s(" of replies within the response window")
	}
	if t.SyncAsyncRatio > 0 {
		part().s("sync:async ratio ").num(round(t.SyncAsyncRatio, 2))
	}
	if t.OverlapHours > 0 {
		part().s("team overlap ").hours(t.OverlapHours).s(" a week")
	}
	a.s(".")
}
