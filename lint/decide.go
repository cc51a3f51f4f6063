package lint

import (
	"strings"
	"sync"

	"github.com/rhythm-team/rhythm/decide"
	"github.com/rhythm-team/rhythm/team"
)

// DecideAdvisor asks the decision engine, tuned by each team's norms, how
// a meeting should happen. The purpose is the meeting's stated one when
// the engine knows it, else the first of the engine's purpose names and
// aliases found in the title ("Sprint planning", "Squad standup"), else
// general.
type DecideAdvisor struct {
	// Policy is the engine's policy; nil means the default one.
	Policy *decide.Policy

	mu    sync.Mutex
	teams map[*team.Team]*teamAdvice
}

// teamAdvice is what the advisor keeps per team: the tuned policy and the
// members by email and alias.
type teamAdvice struct {
	policy  *decide.Policy
	members map[string]*team.Member
}

func (a *DecideAdvisor) forTeam(t *team.Team) (*teamAdvice, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ta, ok := a.teams[t]; ok {
		return ta, nil
	}
	p := a.Policy
	if p == nil {
		var err error
		if p, err = decide.DefaultPolicy(); err != nil {
			return nil, err
		}
	}
	if t != nil {
		var err error
		if p, err = p.ForTeam(t.Norms); err != nil {
			return nil, err
		}
	}
	ta := &teamAdvice{policy: p, members: map[string]*team.Member{}}
	if t != nil {
		for i := range t.Members {
			m := &t.Members[i]
			ta.members[strings.ToLower(m.Email)] = m
			for _, al := range m.Aliases {
				ta.members[strings.ToLower(al)] = m
			}
		}
	}
	if a.teams == nil {
		a.teams = map[*team.Team]*teamAdvice{}
	}
	a.teams[t] = ta
	return ta, nil
}

// Advise implements Advisor.
func (a *DecideAdvisor) Advise(m *Meeting, t *team.Team) (Advice, error) {
	ta, err := a.forTeam(t)
	if err != nil {
		return Advice{}, err
	}
	p := ta.policy
	in := decide.Input{Purpose: purposeOf(p, m), Now: m.Start}
	people := 0
	seen := map[string]bool{}
	for _, e := range append([]string{m.Organizer}, m.Attendees...) {
		k := strings.ToLower(strings.TrimSpace(e))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		people++
		if mb, ok := ta.members[k]; ok {
			in.Participants = append(in.Participants, *mb)
		}
	}
	in.Stakeholders = people
	if t != nil {
		in.ResponseWindow, in.MeetingMax = t.Norms.ResponseWindow.D(), t.Norms.MeetingMax.D()
	}
	if len(in.Participants) > decide.MaxParticipants {
		in.Participants = in.Participants[:decide.MaxParticipants]
	}
	d, err := p.Decide(in)
	if err != nil {
		return Advice{}, err
	}
	return Advice{Mode: d.Mode.String(), Reason: d.Summary}, nil
}

// purposeOf picks the purpose the engine should weigh the meeting for: the
// stated purpose when it names one of the engine's purposes, else the
// first purpose name or alias found in the title, then in the stated
// purpose's words, else general.
func purposeOf(p *decide.Policy, m *Meeting) string {
	if s := strings.TrimSpace(m.Purpose); s != "" && p.PurposeName(s) != "" {
		return s
	}
	for _, text := range []string{m.Title, m.Purpose} {
		words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ':')
		})
		for n := min(3, len(words)); n >= 1; n-- {
			for i := 0; i+n <= len(words); i++ {
				if s := strings.Join(words[i:i+n], " "); p.PurposeName(s) != "" {
					return s
				}
			}
		}
	}
	return ""
}
