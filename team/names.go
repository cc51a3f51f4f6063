package team

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// Resolve finds the member a person typed: an email, an alias or a full
// name (any case), else a first name or email local part ("ana" for
// ana@example.com), else a prefix of a name, email or alias. The first of
// these tiers that matches decides: one member is the answer, several are
// an EINVALID error listing the candidates, and no match anywhere is an
// EINVALID error listing the team's members.
func (t *Team) Resolve(name string) (*Member, error) {
	q := strings.ToLower(strings.TrimSpace(name))
	if q == "" {
		return nil, rhythm.Errorf(rhythm.EINVALID, "name a member of team %s", t.Name)
	}
	for _, match := range []func(*Member) bool{
		func(m *Member) bool { return exactName(m, q) },
		func(m *Member) bool { return shortName(m, q) },
		func(m *Member) bool { return prefixName(m, q) },
	} {
		var found []*Member
		for i := range t.Members {
			if match(&t.Members[i]) {
				found = append(found, &t.Members[i])
			}
		}
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			return nil, rhythm.Errorf(rhythm.EINVALID, "%q could be %s on team %s; name one by email", strings.TrimSpace(name), describe(found), t.Name)
		}
	}
	all := make([]*Member, len(t.Members))
	for i := range t.Members {
		all[i] = &t.Members[i]
	}
	list := describe(all)
	if len(all) > maxListed {
		list = describe(all[:maxListed]) + fmt.Sprintf(", and %d more", len(all)-maxListed)
	}
	return nil, rhythm.Errorf(rhythm.EINVALID, "%q is not on team %s (members: %s)", strings.TrimSpace(name), t.Name, list)
}

// ResolveAll resolves each name with Resolve, in order and without repeats;
// empty names are skipped. field names the input in errors ("with").
func (t *Team) ResolveAll(field string, names []string) ([]*Member, error) {
	var out []*Member
	seen := map[*Member]bool{}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			continue
		}
		m, err := t.Resolve(n)
		if err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %s", field, rhythm.ErrorMessage(err))
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out, nil
}

func exactName(m *Member, q string) bool {
	if strings.ToLower(m.Email) == q || strings.ToLower(m.Name) == q {
		return true
	}
	for _, a := range m.Aliases {
		if strings.ToLower(a) == q {
			return true
		}
	}
	return false
}

func shortName(m *Member, q string) bool {
	local, _, _ := strings.Cut(strings.ToLower(m.Email), "@")
	first, _, _ := strings.Cut(strings.ToLower(m.Name), " ")
	return local == q || first == q
}

func prefixName(m *Member, q string) bool {
	if strings.HasPrefix(strings.ToLower(m.Name), q) || strings.HasPrefix(strings.ToLower(m.Email), q) {
		return true
	}
	for _, w := range strings.Fields(strings.ToLower(m.Name)) {
		if strings.HasPrefix(w, q) {
			return true
		}
	}
	return false
}

// maxListed is how many members an unknown-name error lists.
const maxListed = 12

// describe lists members as "Ana Silva <ana@example.com>", sorted by name.
func describe(ms []*Member) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = fmt.Sprintf("%s <%s>", m.Name, m.Email)
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}
