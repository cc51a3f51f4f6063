package decide

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/yamlpos"
	"github.com/rhythm-team/rhythm/team"
)

//go:embed policy.yaml
var defaultPolicyYAML []byte

// DefaultPolicyYAML returns the text of the embedded default policy.
func DefaultPolicyYAML() []byte { return slices.Clone(defaultPolicyYAML) }

// defaultPolicy compiles the embedded policy from its Go form
// (policy_gen.go), which spares the YAML parse on every start of rhythm;
// TestGeneratedPolicyMatchesYAML keeps the two forms equal.
var defaultPolicy = sync.OnceValues(func() (*Policy, error) {
	return compile("policy.yaml", defaultPolicyYAML, defaultPolicyFile())
})

// DefaultPolicy returns the embedded policy. It fails only if the embedded
// file is broken, which the package tests rule out.
func DefaultPolicy() (*Policy, error) { return defaultPolicy() }

// PolicyError is a problem in a policy file, at a line when known.
type PolicyError struct {
	File  string
	Line  int
	Field string // path such as rules[3].when.zones
	Msg   string
}

// Error formats the problem as one line: "file:line: field: message".
func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap lets errors.As find the rhythm.Error (code invalid) of a PolicyError.
func (e *PolicyError) Unwrap() error { return &rhythm.Error{Code: rhythm.EINVALID, Message: e.Error()} }

// The file form of a policy.
type policyFile struct {
	Version         int             `yaml:"version"`
	Params          []paramSpec     `yaml:"params"`
	Criteria        []criterionSpec `yaml:"criteria"`
	Purposes        []purposeSpec   `yaml:"purposes"`
	DefaultPlaybook string          `yaml:"default_playbook"`
	Playbooks       []playbookSpec  `yaml:"playbooks"`
	Advice          adviceSpec      `yaml:"advice"`
	Rules           []ruleSpec      `yaml:"rules"`
}

type paramSpec struct {
	Name  string  `yaml:"name"`
	Value float64 `yaml:"value"`
	Min   float64 `yaml:"min"`
	Max   float64 `yaml:"max"`
	Doc   string  `yaml:"doc"`
}

type criterionSpec struct {
	ID        string  `yaml:"id"`
	Name      string  `yaml:"name"`
	Async     float64 `yaml:"async"`
	Sync      float64 `yaml:"sync"`
	AsyncNote string  `yaml:"async_note"`
	SyncNote  string  `yaml:"sync_note"`
}

type purposeSpec struct {
	ID       string             `yaml:"id"`
	Name     string             `yaml:"name"`
	Aliases  []string           `yaml:"aliases"`
	Weights  map[string]float64 `yaml:"weights"`
	Defaults defaultsSpec       `yaml:"defaults"`
	Timebox  string             `yaml:"timebox"`
}

type defaultsSpec struct {
	Stakeholders int    `yaml:"stakeholders"`
	Ambiguity    string `yaml:"ambiguity"`
	Urgency      string `yaml:"urgency"`
	Relationship string `yaml:"relationship"`
	Stakes       string `yaml:"stakes"`
	Record       string `yaml:"record"`
}

type playbookSpec struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Timebox string   `yaml:"timebox"`
	Steps   []string `yaml:"steps"`
}

type adviceSpec struct {
	Format   modeText                 `yaml:"format"`
	Record   recordText               `yaml:"record"`
	Owner    string                   `yaml:"owner"`
	Purposes map[string]purposeAdvice `yaml:"purposes"`
}

type modeText struct {
	Async  string `yaml:"async"`
	Sync   string `yaml:"sync"`
	Hybrid string `yaml:"hybrid"`
}

type recordText struct {
	Yes string `yaml:"yes"`
	No  string `yaml:"no"`
}

type purposeAdvice struct {
	Async  string `yaml:"async"`
	Sync   string `yaml:"sync"`
	Hybrid string `yaml:"hybrid"`
	Record string `yaml:"record"`
	Owner  string `yaml:"owner"`
}

type ruleSpec struct {
	ID       string        `yaml:"id"`
	Says     string        `yaml:"says"`
	When     yaml.MapSlice `yaml:"when"`
	Any      yaml.MapSlice `yaml:"any"`
	Lean     float64       `yaml:"lean"`
	Floor    string        `yaml:"floor"`
	Cap      string        `yaml:"cap"`
	Playbook string        `yaml:"playbook"`
	Suits    []string      `yaml:"suits"`
}

// maxRules is the most rules a policy may have.
const maxRules = 256

// Facts the rules can test, in a fixed order.
const (
	fStakeholders = iota
	fZones
	fOverlap
	fAmbiguity
	fUrgency
	fRelationship
	fStakes
	fRecord
	fFunctions
	fResponseWindow
	fMedianResponse
	fUrgencyToMedian
	fWithinWindow
	fSyncAsyncRatio
	nFacts
	fPurpose = -2 // only in says templates
)

var factNames = [nFacts]string{
	"stakeholders", "zones", "overlap_hours", "ambiguity", "urgency_hours",
	"relationship", "stakes", "record", "functions", "response_window_hours",
	"median_response_hours", "urgency_to_median", "within_window_share", "sync_async_ratio",
}

type factKind uint8

const (
	kindCount factKind = iota
	kindHours
	kindLevel
	kindBool
	kindRatio
	kindShare
)

var factKinds = [nFacts]factKind{
	kindCount, kindCount, kindHours, kindLevel, kindHours,
	kindLevel, kindLevel, kindBool, kindCount, kindHours,
	kindHours, kindRatio, kindShare, kindRatio,
}

func factIndex(name string) int {
	for i, n := range factNames {
		if n == name {
			return i
		}
	}
	return -1
}

// The matrix criteria, which the engine adjusts by name.
const (
	cRelationship = iota
	cSpeed
	cInclusivity
	cDocumentation
	cCognitive
	nCriteria
)

var criterionIDs = [nCriteria]string{"relationship", "speed", "inclusivity", "documentation", "cognitive_load"}

// Params the engine itself reads; a policy must define each.
var engineParams = []string{
	"sync_at", "async_at", "matrix_factor", "small_group", "low_overlap_hours", "urgent_hours",
	"working_to_wall", "attendee_cap", "sync_inclusivity_per_extra_zone", "sync_inclusivity_low_overlap",
	"sync_cognitive_per_extra_person", "speed_weight_per_ambiguity", "speed_weight_urgent",
	"relationship_weight_per_level", "relationship_weight_per_stakes", "documentation_weight_record",
}

type op uint8

const (
	opLT op = iota
	opLE
	opGT
	opGE
	opEQ
	opNE
)

var opWords = [...]string{"below", "at most", "above", "at least", "is", "is not"}

type cond struct {
	fact    int
	op      op
	rhsFact int // -1 when rhs is a constant
	rhs     float64
	rhsName string // the param or fact named on the right, for the trace
}

func (c cond) holds(f *[nFacts]float64) bool {
	l := f[c.fact]
	r := c.rhs
	if c.rhsFact >= 0 {
		r = f[c.rhsFact]
	}
	if math.IsNaN(l) || math.IsNaN(r) {
		return false
	}
	switch c.op {
	case opLT:
		return l < r
	case opLE:
		return l <= r
	case opGT:
		return l > r
	case opGE:
		return l >= r
	case opEQ:
		return l == r
	default:
		return l != r
	}
}

// seg is a piece of a says template: literal text, or a fact to insert.
type seg struct {
	text string
	fact int // -1 for literal text, fPurpose for the purpose name
}

type rule struct {
	id       string
	says     []seg
	purposes uint64 // bit per purpose index; 0 matches every purpose
	purpose  string // the purpose condition as written, for the trace
	all, any []cond
	lean     float64
	floor    Mode
	cap      Mode
	hasFloor bool
	hasCap   bool
	playbook int   // index into playbooks, -1 for none
	suits    uint8 // bit per Mode whose answer the says text may explain
}

type purpose struct {
	id, name string
	weights  [nCriteria]float64
	defaults struct {
		stakeholders                    int
		ambiguity, relationship, stakes Level
		urgency                         time.Duration
		record                          bool
	}
	timebox time.Duration
	advice  purposeAdvice
}

// Param is one named number of a policy that a team may override.
type Param struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Doc   string  `json:"doc"`
}

// Policy is a compiled decision policy: the matrix, purposes, playbooks and
// rules. It is immutable and safe for concurrent use.
type Policy struct {
	name string
	src  []byte
	file policyFile

	params     []Param
	criteria   [nCriteria]criterionSpec
	purposes   []purpose
	purposeIdx map[string]int // ids and normalised aliases
	playbooks  []Playbook
	defaultPB  int
	rules      []rule

	// Engine params, resolved.
	syncAt, asyncAt, matrixFactor, smallGroup, lowOverlap, urgentHours   float64
	workingToWall, attendeeCap, inclZone, inclOverlap, cogPerson         float64
	speedPerAmbiguity, speedUrgent, relPerLevel, relPerStakes, docRecord float64
}

// ParsePolicy reads and compiles a policy. name is the file name used in
// errors, which carry the line: "policy.yaml:42: rules[3].when.zones: ...".
func ParsePolicy(name string, data []byte) (*Policy, error) {
	var f policyFile
	if err := yamlpos.Decode(data, &f); err != nil {
		line, msg := yamlpos.Error(err)
		return nil, &PolicyError{File: name, Line: max(line, 1), Msg: msg}
	}
	p, err := compile(name, data, f)
	if err != nil {
		var pe *PolicyError
		if errors.As(err, &pe) && pe.Line == 0 {
			pe.Line = yamlpos.LineOf(data, pe.Field)
		}
		return nil, err
	}
	return p, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func compile(name string, src []byte, f policyFile) (*Policy, error) {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{File: name, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if f.Version != 1 {
		return nil, bad("version", "version must be 1, got %d", f.Version)
	}
	p := &Policy{name: name, src: src, file: f, purposeIdx: map[string]int{}}

	// Params.
	params := map[string]float64{}
	for i, ps := range f.Params {
		field := fmt.Sprintf("params[%d]", i)
		if !isName(ps.Name) {
			return nil, bad(field+".name", "%q is not a name of lower-case letters, digits and _", ps.Name)
		}
		if _, dup := params[ps.Name]; dup {
			return nil, bad(field+".name", "param %q defined twice", ps.Name)
		}
		if factIndex(ps.Name) >= 0 || ps.Name == "purpose" {
			return nil, bad(field+".name", "param %q has the name of a fact", ps.Name)
		}
		if !finite(ps.Value, ps.Min, ps.Max) || ps.Min > ps.Max {
			return nil, bad(field, "min, value and max must be numbers with min <= max")
		}
		if ps.Value < ps.Min || ps.Value > ps.Max {
			return nil, bad(field+".value", "%s is out of range %s..%s", num(ps.Value), num(ps.Min), num(ps.Max))
		}
		params[ps.Name] = ps.Value
		p.params = append(p.params, Param(ps))
	}
	for _, n := range engineParams {
		if _, ok := params[n]; !ok {
			return nil, bad("params", "param %q is required", n)
		}
	}
	if params["sync_at"] <= params["async_at"] {
		i := slices.IndexFunc(f.Params, func(ps paramSpec) bool { return ps.Name == "sync_at" })
		return nil, bad(fmt.Sprintf("params[%d].value", i), "sync_at (%s) must be above async_at (%s)", num(params["sync_at"]), num(params["async_at"]))
	}
	p.syncAt, p.asyncAt, p.matrixFactor = params["sync_at"], params["async_at"], params["matrix_factor"]
	p.smallGroup, p.lowOverlap, p.urgentHours = params["small_group"], params["low_overlap_hours"], params["urgent_hours"]
	p.workingToWall, p.attendeeCap = params["working_to_wall"], params["attendee_cap"]
	p.inclZone, p.inclOverlap, p.cogPerson = params["sync_inclusivity_per_extra_zone"], params["sync_inclusivity_low_overlap"], params["sync_cognitive_per_extra_person"]
	p.speedPerAmbiguity, p.speedUrgent = params["speed_weight_per_ambiguity"], params["speed_weight_urgent"]
	p.relPerLevel, p.relPerStakes, p.docRecord = params["relationship_weight_per_level"], params["relationship_weight_per_stakes"], params["documentation_weight_record"]

	// Criteria: exactly the five of the matrix.
	if len(f.Criteria) != nCriteria {
		return nil, bad("criteria", "the matrix has %d criteria (%s), got %d", nCriteria, strings.Join(criterionIDs[:], ", "), len(f.Criteria))
	}
	var seenC [nCriteria]bool
	for i, c := range f.Criteria {
		field := fmt.Sprintf("criteria[%d]", i)
		k := slices.Index(criterionIDs[:], c.ID)
		if k < 0 {
			return nil, bad(field+".id", "unknown criterion %q; valid: %s", c.ID, strings.Join(criterionIDs[:], ", "))
		}
		if seenC[k] {
			return nil, bad(field+".id", "criterion %q listed twice", c.ID)
		}
		seenC[k] = true
		if !inRange(c.Async, 0, 5) {
			return nil, bad(field+".async", "a score runs 0..5, got %s", num(c.Async))
		}
		if !inRange(c.Sync, 0, 5) {
			return nil, bad(field+".sync", "a score runs 0..5, got %s", num(c.Sync))
		}
		if c.Name == "" {
			return nil, bad(field+".name", "a name is required")
		}
		p.criteria[k] = c
	}

	// Purposes.
	if len(f.Purposes) == 0 || len(f.Purposes) > 64 {
		return nil, bad("purposes", "a policy needs 1 to 64 purposes, got %d", len(f.Purposes))
	}
	for i, ps := range f.Purposes {
		field := fmt.Sprintf("purposes[%d]", i)
		if !isName(ps.ID) {
			return nil, bad(field+".id", "%q is not an id of lower-case letters, digits and _", ps.ID)
		}
		if ps.Name == "" {
			return nil, bad(field+".name", "a name is required")
		}
		pu := purpose{id: ps.ID, name: ps.Name}
		for k, id := range criterionIDs {
			w, ok := ps.Weights[id]
			if !ok {
				return nil, bad(field+".weights", "weight for %q is missing", id)
			}
			if !inRange(w, 0, 100) {
				return nil, bad(field+".weights."+id, "a weight runs 0..100, got %s", num(w))
			}
			pu.weights[k] = w
		}
		for id := range ps.Weights {
			if !slices.Contains(criterionIDs[:], id) {
				return nil, bad(field+".weights."+id, "unknown criterion %q; valid: %s", id, strings.Join(criterionIDs[:], ", "))
			}
		}
		d := ps.Defaults
		if d.Stakeholders < 1 {
			return nil, bad(field+".defaults.stakeholders", "must be at least 1, got %d", d.Stakeholders)
		}
		pu.defaults.stakeholders = d.Stakeholders
		var err error
		if pu.defaults.ambiguity, err = ParseLevel(d.Ambiguity); err != nil {
			return nil, bad(field+".defaults.ambiguity", "%v", err)
		}
		if pu.defaults.relationship, err = ParseLevel(d.Relationship); err != nil {
			return nil, bad(field+".defaults.relationship", "%v", err)
		}
		if pu.defaults.stakes, err = ParseLevel(d.Stakes); err != nil {
			return nil, bad(field+".defaults.stakes", "%v", err)
		}
		if pu.defaults.urgency, err = ParseUrgency(d.Urgency); err != nil {
			return nil, bad(field+".defaults.urgency", "%v", err)
		}
		rec, ok := parseYesNo(d.Record)
		if !ok {
			return nil, bad(field+".defaults.record", "%q is not yes or no", d.Record)
		}
		pu.defaults.record = rec == 1
		if pu.timebox, err = team.ParseDuration(ps.Timebox); err != nil {
			return nil, bad(field+".timebox", "%v", err)
		}
		keys := append([]string{ps.ID}, ps.Aliases...)
		for _, a := range keys {
			k := normalize(a)
			if j, dup := p.purposeIdx[k]; dup && j != i {
				return nil, bad(field+".aliases", "%q also names purpose %q", a, f.Purposes[j].ID)
			}
			p.purposeIdx[k] = i
		}
		p.purposes = append(p.purposes, pu)
	}
	if _, ok := p.purposeIdx["general"]; !ok {
		return nil, bad("purposes", "purpose %q (the default) is required", "general")
	}
	for id, pa := range f.Advice.Purposes {
		i, ok := p.purposeIdx[id]
		if !ok || p.purposes[i].id != id {
			return nil, bad("advice.purposes."+id, "unknown purpose %q; valid: %s", id, strings.Join(p.PurposeIDs(), ", "))
		}
		p.purposes[i].advice = pa
	}
	if f.Advice.Format.Async == "" || f.Advice.Format.Sync == "" || f.Advice.Format.Hybrid == "" {
		return nil, bad("advice.format", "async, sync and hybrid texts are required")
	}
	if f.Advice.Record.Yes == "" || f.Advice.Record.No == "" {
		return nil, bad("advice.record", "yes and no texts are required")
	}
	if f.Advice.Owner == "" {
		return nil, bad("advice.owner", "an owner text is required")
	}

	// Playbooks.
	p.defaultPB = -1
	for i, ps := range f.Playbooks {
		field := fmt.Sprintf("playbooks[%d]", i)
		if ps.ID == "" || ps.Name == "" || len(ps.Steps) == 0 {
			return nil, bad(field, "a playbook needs an id, a name and steps")
		}
		if slices.ContainsFunc(p.playbooks, func(b Playbook) bool { return b.ID == ps.ID }) {
			return nil, bad(field+".id", "playbook %q defined twice", ps.ID)
		}
		pb := Playbook{ID: ps.ID, Name: ps.Name, Steps: ps.Steps}
		if ps.Timebox != "" {
			d, err := team.ParseDuration(ps.Timebox)
			if err != nil {
				return nil, bad(field+".timebox", "%v", err)
			}
			pb.Timebox = team.Duration(d)
		}
		if ps.ID == f.DefaultPlaybook {
			p.defaultPB = i
		}
		p.playbooks = append(p.playbooks, pb)
	}
	if p.defaultPB < 0 {
		return nil, bad("default_playbook", "unknown playbook %q; valid: %s", f.DefaultPlaybook, strings.Join(p.playbookIDs(), ", "))
	}

	// Rules.
	if len(f.Rules) > maxRules {
		return nil, bad("rules", "a policy has at most %d rules, got %d", maxRules, len(f.Rules))
	}
	seenR := map[string]bool{}
	for i, rs := range f.Rules {
		field := fmt.Sprintf("rules[%d]", i)
		if !isRuleID(rs.ID) {
			return nil, bad(field+".id", "%q is not an id of lower-case letters, digits and -", rs.ID)
		}
		if seenR[rs.ID] {
			return nil, bad(field+".id", "rule %q defined twice", rs.ID)
		}
		seenR[rs.ID] = true
		r := rule{id: rs.ID, lean: rs.Lean, playbook: -1}
		if !finite(rs.Lean) || math.Abs(rs.Lean) > 100 {
			return nil, bad(field+".lean", "a lean runs -100..100, got %s", num(rs.Lean))
		}
		if rs.Says == "" {
			return nil, bad(field+".says", "a plain-words reason is required")
		}
		var err error
		if r.says, err = parseSays(rs.Says); err != nil {
			return nil, bad(field+".says", "%v", err)
		}
		if len(rs.When) == 0 && len(rs.Any) == 0 {
			return nil, bad(field, "a rule needs conditions under when or any")
		}
		for _, part := range []struct {
			name string
			ms   yaml.MapSlice
			out  *[]cond
		}{{"when", rs.When, &r.all}, {"any", rs.Any, &r.any}} {
			for _, it := range part.ms {
				key, _ := it.Key.(string)
				cf := field + "." + part.name + "." + key
				if key == "purpose" {
					if part.name != "when" {
						return nil, bad(cf, "purpose belongs under when")
					}
					if r.purposes, r.purpose, err = p.purposeSet(it.Value); err != nil {
						return nil, bad(cf, "%v", err)
					}
					continue
				}
				c, err := p.parseCond(key, it.Value, params)
				if err != nil {
					return nil, bad(cf, "%v", err)
				}
				*part.out = append(*part.out, c)
			}
		}
		if rs.Floor != "" {
			if r.floor, err = ParseMode(rs.Floor); err != nil {
				return nil, bad(field+".floor", "%v", err)
			}
			r.hasFloor = true
		}
		if rs.Cap != "" {
			if r.cap, err = ParseMode(rs.Cap); err != nil {
				return nil, bad(field+".cap", "%v", err)
			}
			r.hasCap = true
		}
		if r.hasFloor && r.hasCap && r.floor > r.cap {
			return nil, bad(field, "floor %s is above cap %s", r.floor, r.cap)
		}
		if len(rs.Suits) == 0 {
			lo, hi := Async, Sync
			if r.hasFloor {
				lo = r.floor
			}
			if r.hasCap {
				hi = r.cap
			}
			for m := lo; m <= hi; m++ {
				r.suits |= 1 << uint(m)
			}
		}
		for j, v := range rs.Suits {
			m, err := ParseMode(v)
			if err != nil {
				return nil, bad(fmt.Sprintf("%s.suits[%d]", field, j), "%v", err)
			}
			r.suits |= 1 << uint(m)
		}
		if rs.Playbook != "" {
			r.playbook = slices.IndexFunc(p.playbooks, func(b Playbook) bool { return b.ID == rs.Playbook })
			if r.playbook < 0 {
				return nil, bad(field+".playbook", "unknown playbook %q; valid: %s", rs.Playbook, strings.Join(p.playbookIDs(), ", "))
			}
		}
		p.rules = append(p.rules, r)
	}
	return p, nil
}

func (p *Policy) purposeSet(v any) (uint64, string, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return 0, "", fmt.Errorf("purpose takes a list of purpose ids such as [status_update, announcement]")
	}
	var set uint64
	var names []string
	for _, x := range list {
		s, _ := x.(string)
		i, ok := p.purposeIdx[s]
		if !ok || p.purposes[i].id != s {
			return 0, "", fmt.Errorf("unknown purpose %q; valid: %s", s, strings.Join(p.PurposeIDs(), ", "))
		}
		set |= 1 << uint(i)
		names = append(names, p.purposes[i].name)
	}
	return set, strings.Join(names, " or "), nil
}

func (p *Policy) parseCond(key string, v any, params map[string]float64) (cond, error) {
	c := cond{fact: factIndex(key), rhsFact: -1}
	if c.fact < 0 {
		return c, fmt.Errorf("unknown fact %q; valid: purpose, %s", key, strings.Join(factNames[:], ", "))
	}
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case uint64, int64, int, float64:
		s = fmt.Sprint(x)
	case bool:
		s = strconv.FormatBool(x)
	default:
		return c, fmt.Errorf("a condition is a string such as \"> 2\" or \">= high\"")
	}
	c.op = opEQ
	for _, o := range []struct {
		tok string
		op  op
	}{{"<=", opLE}, {">=", opGE}, {"==", opEQ}, {"!=", opNE}, {"<", opLT}, {">", opGT}} {
		if rest, ok := strings.CutPrefix(s, o.tok); ok {
			c.op, s = o.op, strings.TrimSpace(rest)
			break
		}
	}
	if s == "" {
		return c, fmt.Errorf("the condition has no value")
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && finite(n) {
		c.rhs = n
		return c, nil
	}
	if l, err := ParseLevel(s); err == nil {
		c.rhs, c.rhsName = l.value(), s
		return c, nil
	}
	if b, ok := parseYesNo(s); ok {
		c.rhs, c.rhsName = float64(b), s
		return c, nil
	}
	if n, ok := params[s]; ok {
		c.rhs, c.rhsName = n, s
		return c, nil
	}
	if i := factIndex(s); i >= 0 {
		c.rhsFact, c.rhsName = i, s
		return c, nil
	}
	return c, fmt.Errorf("%q is not a number, level, yes/no, param or fact", s)
}

func parseSays(s string) ([]seg, error) {
	var out []seg
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			out = append(out, seg{text: s, fact: -1})
			break
		}
		if i > 0 {
			out = append(out, seg{text: s[:i], fact: -1})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		name := s[i+1 : i+j]
		k := factIndex(name)
		if name == "purpose" {
			k = fPurpose
		} else if k < 0 {
			return nil, fmt.Errorf("unknown fact {%s}; valid: purpose, %s", name, strings.Join(factNames[:], ", "))
		}
		out = append(out, seg{fact: k})
		s = s[i+j+1:]
	}
	return out, nil
}

// PurposeIDs returns the ids of the policy's purposes, in file order.
func (p *Policy) PurposeIDs() []string {
	out := make([]string, len(p.purposes))
	for i, pu := range p.purposes {
		out[i] = pu.id
	}
	return out
}

// PurposeName returns the display name of a purpose id or alias, or "".
func (p *Policy) PurposeName(s string) string {
	if i, ok := p.purposeIdx[normalize(s)]; ok {
		return p.purposes[i].name
	}
	return ""
}

// Params returns the policy's named numbers with their current values.
func (p *Policy) Params() []Param { return slices.Clone(p.params) }

func (p *Policy) playbookIDs() []string {
	out := make([]string, len(p.playbooks))
	for i, b := range p.playbooks {
		out[i] = b.ID
	}
	return out
}

// RuleIDs returns the ids of the policy's rules, in trace order.
func (p *Policy) RuleIDs() []string {
	out := make([]string, len(p.rules))
	for i, r := range p.rules {
		out[i] = r.id
	}
	return out
}

// OverrideNames describes the names With accepts, for error messages and help.
func (p *Policy) OverrideNames() string {
	names := make([]string, len(p.params))
	for i, pr := range p.params {
		names[i] = pr.Name
	}
	return strings.Join(names, ", ") +
		"; weight.<purpose>.<criterion>; score.<async|sync>.<criterion>; lean.<rule>" +
		" (purposes: " + strings.Join(p.PurposeIDs(), ", ") +
		"; criteria: " + strings.Join(criterionIDs[:], ", ") +
		"; rules: " + strings.Join(p.RuleIDs(), ", ") + ")"
}

// With returns the policy with a team's overrides applied: a map of name to
// number as in team.Norms.Decide. Unknown names and out-of-range values are
// EINVALID errors naming norms.decide.<name>.
func (p *Policy) With(overrides map[string]float64) (*Policy, error) {
	if len(overrides) == 0 {
		return p, nil
	}
	f := p.file
	f.Params = slices.Clone(f.Params)
	f.Criteria = slices.Clone(f.Criteria)
	f.Purposes = slices.Clone(f.Purposes)
	f.Rules = slices.Clone(f.Rules)
	bad := func(name, format string, args ...any) error {
		return rhythm.Errorf(rhythm.EINVALID, "norms.decide.%s: %s", name, fmt.Sprintf(format, args...))
	}
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		v := overrides[name]
		if !finite(v) {
			return nil, bad(name, "must be a number")
		}
		if i := slices.IndexFunc(f.Params, func(ps paramSpec) bool { return ps.Name == name }); i >= 0 {
			ps := f.Params[i]
			if v < ps.Min || v > ps.Max {
				return nil, bad(name, "%s is out of range %s..%s", num(v), num(ps.Min), num(ps.Max))
			}
			f.Params[i].Value = v
			continue
		}
		kind, rest, _ := strings.Cut(name, ".")
		switch kind {
		case "weight":
			pid, cid, _ := strings.Cut(rest, ".")
			i := slices.IndexFunc(f.Purposes, func(ps purposeSpec) bool { return ps.ID == pid })
			if i >= 0 && slices.Contains(criterionIDs[:], cid) {
				if !inRange(v, 0, 100) {
					return nil, bad(name, "a weight runs 0..100, got %s", num(v))
				}
				f.Purposes[i].Weights = maps.Clone(f.Purposes[i].Weights)
				f.Purposes[i].Weights[cid] = v
				continue
			}
		case "score":
			mode, cid, _ := strings.Cut(rest, ".")
			i := slices.IndexFunc(f.Criteria, func(c criterionSpec) bool { return c.ID == cid })
			if i >= 0 && (mode == "async" || mode == "sync") {
				if !inRange(v, 0, 5) {
					return nil, bad(name, "a score runs 0..5, got %s", num(v))
				}
				if mode == "async" {
					f.Criteria[i].Async = v
				} else {
					f.Criteria[i].Sync = v
				}
				continue
			}
		case "lean":
			i := slices.IndexFunc(f.Rules, func(r ruleSpec) bool { return r.ID == rest })
			if i >= 0 {
				if math.Abs(v) > 100 {
					return nil, bad(name, "a lean runs -100..100, got %s", num(v))
				}
				f.Rules[i].Lean = v
				continue
			}
		}
		return nil, rhythm.Errorf(rhythm.EINVALID, "norms.decide: unknown name %q; valid names: %s", name, p.OverrideNames())
	}
	np, err := compile(p.name, p.src, f)
	if err != nil {
		var pe *PolicyError
		if errors.As(err, &pe) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "norms.decide: %s", pe.Msg)
		}
		return nil, err
	}
	return np, nil
}

// ForTeam returns the policy with the team norms' decide overrides applied.
func (p *Policy) ForTeam(n team.Norms) (*Policy, error) { return p.With(n.Decide) }

func isName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isRuleID(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func inRange(v, lo, hi float64) bool { return finite(v) && v >= lo && v <= hi }

func parseYesNo(s string) (int, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true":
		return 1, true
	case "no", "false":
		return 0, true
	}
	return 0, false
}

// normalize folds a purpose or alias for lookup: lower case, runs of space,
// - and _ become one _.
func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, c := range s {
		if c == ' ' || c == '-' || c == '_' || c == '\t' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(c)
	}
	return b.String()
}

// num formats a number without trailing zeros.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
