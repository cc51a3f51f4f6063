package slack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// Subcommands of /rhythm, in the order help lists them.
var Subcommands = []struct{ Name, Usage, Summary string }{
	{"decide", "decide [what]", "async, sync or hybrid, with the rules that decided it"},
	{"thread", "thread <title> @a @b due 2d", "open an async thread; each person owes an answer by the due time"},
	{"waiting", "waiting", "the threads you owe an answer to"},
	{"decision", "decision <what> because <why>", "record a decision in the team's log, linked to this conversation"},
	{"time", "time @a @b 30m", "fair times for a meeting with these people"},
	{"help", "help", "this list"},
}

// Command is /rhythm's text split into the subcommand and the rest.
type Command struct {
	Name string
	Text string
}

// ParseCommand reads the text after /rhythm. An empty text is help.
func ParseCommand(text string) (Command, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Command{Name: "help"}, nil
	}
	name, rest, _ := strings.Cut(text, " ")
	name = strings.ToLower(name)
	for _, s := range Subcommands {
		if s.Name == name {
			return Command{Name: name, Text: strings.TrimSpace(rest)}, nil
		}
	}
	return Command{}, rhythm.Errorf(rhythm.EINVALID, "/rhythm %s: unknown command; try %s", name, commandNames())
}

func commandNames() string {
	var names []string
	for _, s := range Subcommands {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// Help is the text /rhythm help answers with.
func Help() string {
	var b strings.Builder
	b.WriteString("*rhythm* — how your team communicates\n")
	for _, s := range Subcommands {
		fmt.Fprintf(&b, "• `/rhythm %s` — %s\n", s.Usage, s.Summary)
	}
	return b.String()
}

// Mention is a person named in a command: a Slack user (from an escaped
// mention such as <@U024BE7LH|ana>) or a plain @name for the roster.
type Mention struct {
	UserID string // Slack user ID, when Slack escaped the mention
	Name   string // the name shown or typed
}

var mentionRE = lazyRE(`<@([UW][A-Z0-9]+)(?:\|([^>]*))?>|(?:^|\s)@([\p{L}\p{N}._'-]+)`)

// mentions takes the people named in text out of it.
func mentions(text string) (rest string, people []Mention) {
	rest = mentionRE().ReplaceAllStringFunc(text, func(m string) string {
		sub := mentionRE().FindStringSubmatch(m)
		if sub[1] != "" {
			people = append(people, Mention{UserID: sub[1], Name: sub[2]})
		} else {
			people = append(people, Mention{Name: sub[3]})
		}
		return " "
	})
	return strings.Join(strings.Fields(rest), " "), people
}

// ThreadArgs are the parts of /rhythm thread.
type ThreadArgs struct {
	Title  string
	People []Mention
	Due    time.Duration // 0: the team's response window
}

var dueRE = lazyRE(`(?i)\bdue(?:\s+in)?\s+(\d+\s*(?:m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?))\s*$`)

// ParseThread reads "<title> @a @b due 2d" ("due in 3 days" too).
func ParseThread(text string) (ThreadArgs, error) {
	rest, people := mentions(text)
	var a ThreadArgs
	if m := dueRE().FindStringSubmatchIndex(rest); m != nil {
		d, err := parseSpan(rest[m[2]:m[3]])
		if err != nil {
			return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm thread: %v", err)
		}
		a.Due = d
		rest = strings.TrimSpace(rest[:m[0]])
	}
	a.Title = strings.TrimSpace(strings.Trim(rest, `"“”`))
	a.People = people
	switch {
	case a.Title == "":
		return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm thread: give a title, e.g. /rhythm thread Q3 roadmap comments @ana @kenji due 2d")
	case len([]rune(a.Title)) > 200:
		return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm thread: the title is longer than 200 characters")
	case len(a.People) == 0:
		return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm thread: name who should answer with @mentions")
	}
	return a, nil
}

// TimeArgs are the parts of /rhythm time.
type TimeArgs struct {
	People   []Mention
	Duration time.Duration
}

// ParseTime reads "@a @b 30m" (the caller takes part too).
func ParseTime(text string) (TimeArgs, error) {
	rest, people := mentions(text)
	a := TimeArgs{People: people, Duration: 30 * time.Minute}
	if rest != "" {
		d, err := parseSpan(rest)
		if err != nil || d > 8*time.Hour {
			return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm time: %q is not a meeting length such as 30m or 1h", rest)
		}
		a.Duration = d
	}
	if len(people) == 0 {
		return a, rhythm.Errorf(rhythm.EINVALID, "/rhythm time: name the people with @mentions, e.g. /rhythm time @ana @kenji 30m")
	}
	return a, nil
}

var spanRE = lazyRE(`(?i)^(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$`)

// parseSpan reads 30m, 2h, 3d, 1w, "2 days".
func parseSpan(s string) (time.Duration, error) {
	m := spanRE().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return team.ParseDuration(s)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 || n > 1000 {
		return 0, fmt.Errorf("%q is not a positive duration such as 2d", s)
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[strings.ToLower(m[2])[0]]
	return time.Duration(n) * unit, nil
}

// DecideGuess is what a short decide text says clearly.
type DecideGuess struct {
	Input decide.Input
	// Missing names what the words did not say; when it is not empty the
	// app opens the decide form, filled with what was understood.
	Missing []string
}

var (
	peopleRE = lazyRE(`(?i)\b(\d+)\s*(?:people|persons|stakeholders|participants|colleagues|members)\b`)
	zonesRE  = lazyRE(`(?i)\b(\d+)\s*(?:time\s*)?zones?\b`)
	inRE     = lazyRE(`(?i)\b(?:due\s+)?in\s+(\d+\s*(?:m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?))\b`)
)

// GuessDecide reads a short description such as "status update to 7 people
// in 4 zones, due in 2 days": purpose, people, zones and urgency where the
// words are clear. Ambiguity and relationship are taken from the purpose.
func GuessDecide(p *decide.Policy, text string) DecideGuess {
	var g DecideGuess
	lower := strings.ToLower(text)
	if m := peopleRE().FindStringSubmatch(lower); m != nil {
		g.Input.Stakeholders, _ = strconv.Atoi(m[1])
	}
	if m := zonesRE().FindStringSubmatch(lower); m != nil {
		g.Input.Zones, _ = strconv.Atoi(m[1])
	}
	if m := inRE().FindStringSubmatch(lower); m != nil {
		g.Input.Urgency, _ = parseSpan(m[1])
	} else {
		for word, d := range map[string]time.Duration{"urgent": decide.UrgencyNow, "asap": decide.UrgencyNow, "right now": decide.UrgencyNow, "today": decide.UrgencyHours, "this week": decide.UrgencyWeek} {
			if strings.Contains(lower, word) {
				g.Input.Urgency = d
			}
		}
	}
	g.Input.Purpose = purposeIn(p, lower)
	if g.Input.Purpose == "" {
		g.Missing = append(g.Missing, "purpose")
	}
	if g.Input.Stakeholders == 0 {
		g.Missing = append(g.Missing, "people")
	}
	if g.Input.Zones == 0 {
		g.Missing = append(g.Missing, "time zones")
	}
	if g.Input.Urgency == 0 {
		g.Missing = append(g.Missing, "urgency")
	}
	return g
}

// purposeIn finds the longest run of words that names a purpose.
func purposeIn(p *decide.Policy, lower string) string {
	words := strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == ';' })
	for n := min(4, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			phrase := strings.Join(words[i:i+n], " ")
			if p.PurposeName(phrase) != "" {
				return phrase
			}
		}
	}
	return ""
}

// lazyRE compiles a pattern on first use, so that starting rhythm does
// no work for the Slack app.
func lazyRE(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
