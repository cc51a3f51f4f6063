// Package playbook holds rhythm's built-in hybrid playbooks as templates —
// async prep with a 20-minute huddle, onboarding, the 1:1 with an
// employee-owned agenda, the cross-functional async backbone, and the
// weekly async status update — and instantiates a template for a team and
// a date into a concrete plan: async threads with owners and due-by times
// inside each person's working hours, live sessions placed by a
// Scheduler, and the decision records to fill. Teams add their own
// templates in the same YAML form. The package does no I/O.
package playbook

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/yamlpos"
	"github.com/rhythm-team/rhythm/team"
)

// Step kinds.
const (
	// Async is written work in one thread: the owner prepares, the people
	// of With respond, each within their own working hours.
	Async = "async"
	// Sync is a live session at a time the Scheduler finds.
	Sync = "sync"
	// Decision is a decision record the owner fills in the team's log.
	Decision = "decision"
)

// Limits on templates.
const (
	MaxTemplateBytes = 64 << 10
	MaxSteps         = 30
	MaxRoles         = 10
	MaxDayOffset     = 60
	MaxWork          = 80 * time.Hour // prepare, respond
	MaxTimebox       = 4 * time.Hour
	MaxWindow        = 14 * 24 * time.Hour
)

// Template is a playbook: roles people take and the steps of one run.
type Template struct {
	Name    string `yaml:"name" json:"name"`
	Title   string `yaml:"title" json:"title"`
	Summary string `yaml:"summary" json:"summary"`
	// Purpose is the kind of interaction, as the decision engine names it
	// (decision, onboarding, one_on_one, planning, status_update…).
	Purpose string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	Roles   []Role `yaml:"roles" json:"roles"`
	Steps   []Step `yaml:"steps" json:"steps"`
	// Builtin is true for the templates that ship with rhythm.
	Builtin bool `yaml:"-" json:"builtin"`
}

// Role is a part people play in a run, such as owner or participants.
type Role struct {
	Name string `yaml:"name" json:"name"`
	Doc  string `yaml:"doc" json:"doc"`
	// One says the role is taken by exactly one person.
	One bool `yaml:"one,omitempty" json:"one,omitempty"`
}

// Step is one thing that happens in a run.
type Step struct {
	ID    string `yaml:"id" json:"id"`
	Kind  string `yaml:"kind" json:"kind"`
	Title string `yaml:"title" json:"title"`
	// Owner is the role that owns the step; it must be a one-person role.
	Owner string `yaml:"owner" json:"owner"`
	// With lists the roles that respond (async) or attend (sync).
	With []string `yaml:"with,omitempty" json:"with,omitempty"`
	// After lists earlier steps that must be done first.
	After []string `yaml:"after,omitempty" json:"after,omitempty"`
	// Day is the earliest start in days from the plan's date (negative:
	// before it), from the start of the owner's working day.
	Day int `yaml:"day,omitempty" json:"day,omitempty"`
	// Prepare is the owner's working time to post (async) or to fill the
	// record (decision), counted in the owner's working hours.
	Prepare team.Duration `yaml:"prepare,omitempty" json:"prepare,omitzero"`
	// Respond is each responder's working time to respond once the owner
	// has posted, counted in the responder's own working hours.
	Respond team.Duration `yaml:"respond,omitempty" json:"respond,omitzero"`
	// Timebox is the length of a live session, or the expected effort of
	// written work.
	Timebox team.Duration `yaml:"timebox,omitempty" json:"timebox,omitzero"`
	// Window is how long after its earliest start a live session may be
	// placed.
	Window team.Duration `yaml:"window,omitempty" json:"window,omitzero"`
	// Output is what the step is expected to produce.
	Output string `yaml:"output" json:"output"`
}

//go:embed templates/*.yaml
var builtinFS embed.FS

var (
	builtinOnce sync.Once
	builtins    []Template
	builtinErr  error
)

// Builtins returns the templates that ship with rhythm, by name.
func Builtins() []Template {
	builtinOnce.Do(func() {
		names, _ := fs.Glob(builtinFS, "templates/*.yaml")
		for _, n := range names {
			b, _ := builtinFS.ReadFile(n)
			t, err := Parse(n, b)
			if err != nil {
				builtinErr = err
				return
			}
			t.Builtin = true
			builtins = append(builtins, t)
		}
		sort.Slice(builtins, func(i, j int) bool { return builtins[i].Name < builtins[j].Name })
	})
	if builtinErr != nil {
		// The embedded templates are tested; this cannot happen in a
		// released binary.
		return nil
	}
	return slices.Clone(builtins)
}

// Builtin returns the built-in template with the name, if there is one.
func Builtin(name string) (Template, bool) {
	for _, t := range Builtins() {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Find returns the template named name among the built-ins and the extra
// (team) templates; an unknown name is an EINVALID error listing them.
func Find(name string, extra []Template) (Template, error) {
	all := append(Builtins(), extra...)
	for _, t := range all {
		if t.Name == name {
			return t, nil
		}
	}
	names := make([]string, len(all))
	for i, t := range all {
		names[i] = t.Name
	}
	return Template{}, rhythm.Errorf(rhythm.EINVALID, "unknown playbook %q; known: %s", name, strings.Join(names, ", "))
}

// CheckNames refuses templates that reuse a name: a built-in playbook's
// or another of ts.
func CheckNames(ts []Template) error {
	seen := map[string]bool{}
	for _, b := range Builtins() {
		seen[b.Name] = true
	}
	for _, t := range ts {
		if seen[t.Name] {
			return rhythm.Errorf(rhythm.EINVALID, "playbook %q is defined twice (a built-in or another template has that name)", t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

var slug = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_-]{0,59}$`) })

// Parse reads a template from YAML and validates it. name is the file name
// used in errors, which are *team.FieldError values naming the line and
// field, e.g. "mine.yaml:12: steps[1].owner: unknown role "lead"".
func Parse(name string, data []byte) (Template, error) {
	if len(data) > MaxTemplateBytes {
		return Template{}, &team.FieldError{File: name, Msg: fmt.Sprintf("a template has at most %d bytes", MaxTemplateBytes)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Template{}, &team.FieldError{File: name, Line: 1, Msg: "the template is empty; it needs a name, roles and steps"}
	}
	if line := aliasLine(data); line > 0 {
		return Template{}, &team.FieldError{File: name, Line: line, Msg: "anchors and aliases (&name, *name) are not allowed in templates"}
	}
	var f fileTemplate
	if err := yamlpos.Decode(data, &f); err != nil {
		line, msg := yamlpos.Error(err)
		return Template{}, &team.FieldError{File: name, Line: line, Msg: msg}
	}
	t, err := f.template()
	if err == nil {
		err = t.Validate()
	}
	if err != nil {
		var fe *team.FieldError
		if errors.As(err, &fe) {
			fe.File = name
			fe.Line = yamlpos.LineOf(data, fe.Field)
		}
		return Template{}, err
	}
	return t, nil
}

// fileTemplate is the file form of a Template: durations are text so that
// a bad one is reported with its field and line.
type fileTemplate struct {
	Name    string     `yaml:"name"`
	Title   string     `yaml:"title"`
	Summary string     `yaml:"summary"`
	Purpose string     `yaml:"purpose"`
	Roles   []Role     `yaml:"roles"`
	Steps   []fileStep `yaml:"steps"`
}

type fileStep struct {
	ID      string   `yaml:"id"`
	Kind    string   `yaml:"kind"`
	Title   string   `yaml:"title"`
	Owner   string   `yaml:"owner"`
	With    []string `yaml:"with"`
	After   []string `yaml:"after"`
	Day     int      `yaml:"day"`
	Prepare string   `yaml:"prepare"`
	Respond string   `yaml:"respond"`
	Timebox string   `yaml:"timebox"`
	Window  string   `yaml:"window"`
	Output  string   `yaml:"output"`
}

func (f fileTemplate) template() (Template, error) {
	t := Template{Name: f.Name, Title: f.Title, Summary: f.Summary, Purpose: f.Purpose, Roles: f.Roles}
	for i, fs := range f.Steps {
		s := Step{ID: fs.ID, Kind: fs.Kind, Title: fs.Title, Owner: fs.Owner, With: fs.With, After: fs.After, Day: fs.Day, Output: fs.Output}
		for _, d := range []struct {
			name string
			text string
			dst  *team.Duration
		}{{"prepare", fs.Prepare, &s.Prepare}, {"respond", fs.Respond, &s.Respond}, {"timebox", fs.Timebox, &s.Timebox}, {"window", fs.Window, &s.Window}} {
			if strings.TrimSpace(d.text) == "" {
				continue
			}
			v, err := team.ParseDuration(d.text)
			if err != nil {
				return t, &team.FieldError{Field: fmt.Sprintf("steps[%d].%s", i, d.name), Msg: err.Error()}
			}
			*d.dst = team.Duration(v)
		}
		t.Steps = append(t.Steps, s)
	}
	return t, nil
}

// Validate checks the template; the error is a *team.FieldError naming the
// first invalid field.
func (t *Template) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &team.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return bad("name", "a name is required, e.g. design-review")
	}
	if !slug().MatchString(t.Name) {
		return bad("name", "%q must be lower-case letters, digits, - or _, starting with a letter (at most 60)", t.Name)
	}
	if strings.TrimSpace(t.Title) == "" {
		return bad("title", "a title is required")
	}
	if len(t.Title) > 200 || len(t.Summary) > 2000 {
		return bad("title", "the title has at most 200 characters and the summary 2000")
	}
	if len(t.Roles) == 0 {
		return bad("roles", "at least one role is required, e.g. {name: owner, one: true}")
	}
	if len(t.Roles) > MaxRoles {
		return bad("roles", "at most %d roles", MaxRoles)
	}
	roles := map[string]Role{}
	for i, r := range t.Roles {
		if !slug().MatchString(r.Name) {
			return bad(fmt.Sprintf("roles[%d].name", i), "%q must be lower-case letters, digits, - or _", r.Name)
		}
		if _, dup := roles[r.Name]; dup {
			return bad(fmt.Sprintf("roles[%d].name", i), "duplicate role %q", r.Name)
		}
		roles[r.Name] = r
	}
	if len(t.Steps) == 0 {
		return bad("steps", "at least one step is required")
	}
	if len(t.Steps) > MaxSteps {
		return bad("steps", "at most %d steps", MaxSteps)
	}
	seen := map[string]bool{}
	used := map[string]bool{}
	for i, s := range t.Steps {
		f := func(name string) string { return fmt.Sprintf("steps[%d].%s", i, name) }
		if !slug().MatchString(s.ID) {
			return bad(f("id"), "%q must be lower-case letters, digits, - or _", s.ID)
		}
		if seen[s.ID] {
			return bad(f("id"), "duplicate step id %q", s.ID)
		}
		switch s.Kind {
		case Async, Sync, Decision:
		default:
			return bad(f("kind"), "%q is not one of async, sync, decision", s.Kind)
		}
		if strings.TrimSpace(s.Title) == "" {
			return bad(f("title"), "a title is required")
		}
		if strings.TrimSpace(s.Output) == "" {
			return bad(f("output"), "say what the step is expected to produce")
		}
		r, ok := roles[s.Owner]
		if !ok {
			return bad(f("owner"), "unknown role %q (roles: %s)", s.Owner, roleNames(t.Roles))
		}
		if !r.One {
			return bad(f("owner"), "role %q may hold several people; an owner is one person (set one: true)", s.Owner)
		}
		used[s.Owner] = true
		for j, w := range s.With {
			if _, ok := roles[w]; !ok {
				return bad(fmt.Sprintf("steps[%d].with[%d]", i, j), "unknown role %q (roles: %s)", w, roleNames(t.Roles))
			}
			used[w] = true
		}
		for j, a := range s.After {
			if !seen[a] {
				return bad(fmt.Sprintf("steps[%d].after[%d]", i, j), "%q is not an earlier step", a)
			}
		}
		if s.Day < -MaxDayOffset || s.Day > MaxDayOffset {
			return bad(f("day"), "must be between -%d and %d", MaxDayOffset, MaxDayOffset)
		}
		for _, d := range []struct {
			name string
			v    team.Duration
			max  time.Duration
		}{{"prepare", s.Prepare, MaxWork}, {"respond", s.Respond, MaxWork}, {"timebox", s.Timebox, MaxTimebox}, {"window", s.Window, MaxWindow}} {
			if d.v.D() > d.max {
				return bad(f(d.name), "%s is more than %s", d.v, team.Duration(d.max))
			}
		}
		switch s.Kind {
		case Async:
			if len(s.With) == 0 {
				return bad(f("with"), "an async step needs the roles that respond")
			}
			if s.Respond == 0 {
				return bad(f("respond"), "an async step needs the working time responders have, e.g. 8h")
			}
			if s.Window != 0 {
				return bad(f("window"), "only sync steps have a window")
			}
		case Sync:
			if len(s.With) == 0 {
				return bad(f("with"), "a sync step needs the roles that attend")
			}
			if s.Timebox == 0 {
				return bad(f("timebox"), "a sync step needs a timebox, e.g. 20m")
			}
			if s.Timebox.D()%time.Minute != 0 {
				return bad(f("timebox"), "must be whole minutes")
			}
			if s.Window == 0 {
				return bad(f("window"), "a sync step needs a window to be placed in, e.g. 3d")
			}
			if s.Prepare != 0 || s.Respond != 0 {
				return bad(f("prepare"), "sync steps have no prepare or respond time; prepare in an async step before it")
			}
		case Decision:
			if s.Prepare == 0 {
				return bad(f("prepare"), "a decision step needs the owner's working time to fill the record, e.g. 2h")
			}
			if s.Respond != 0 || s.Window != 0 || len(s.With) != 0 {
				return bad(f("respond"), "a decision step has only an owner and prepare time")
			}
		}
		seen[s.ID] = true
	}
	for i, r := range t.Roles {
		if !used[r.Name] {
			return bad(fmt.Sprintf("roles[%d].name", i), "role %q is used by no step", r.Name)
		}
	}
	return nil
}

func roleNames(rs []Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// aliasLine returns the line of the first YAML anchor or alias in data,
// or 0: templates come from users, and aliases can multiply a small file
// into a huge document.
func aliasLine(data []byte) int {
	for _, tk := range lexer.Tokenize(string(data)) {
		if tk.Type == token.AnchorType || tk.Type == token.AliasType {
			if tk.Position != nil {
				return tk.Position.Line
			}
			return 1
		}
	}
	return 0
}

// Marshal writes the template as YAML, the form Parse reads.
func Marshal(t Template) ([]byte, error) {
	return yaml.MarshalWithOptions(t, yaml.Flow(false))
}
