package audit

import (
	"slices"
	"strings"
)

// TeamGroup is the name Membership gives the whole team.
const TeamGroup = "team"

// Membership is who the group figures of an audit were computed over: the
// whole team (TeamGroup) and each zone group, as lower-case emails.
//
// Two audits of overlapping periods whose memberships differ by fewer
// than the minimum group size in some group would let anyone who reads
// both work out the figures of the few people who differ (the difference
// of the two sums). Group figures of a period are therefore computed once
// per membership: see Differencing.
type Membership map[string][]string

// Membership returns who the result's group figures were computed over.
func (r *Result) Membership() Membership { return MembershipOf(&r.Report, r.people) }

// MembershipOf returns who the report's group figures were computed over,
// given the people whose own figures the audit produced.
func MembershipOf(rep *Report, people []PersonReport) Membership {
	zoneGroup := map[string][]string{}
	for _, s := range []*Summary{&rep.Current, rep.Baseline} {
		if s == nil {
			continue
		}
		for _, g := range s.Zones {
			for _, z := range g.Zones {
				if !slices.Contains(zoneGroup[z], g.Name) {
					zoneGroup[z] = append(zoneGroup[z], g.Name)
				}
			}
		}
	}
	m := Membership{}
	for _, p := range people {
		email := strings.ToLower(p.Email)
		m[TeamGroup] = append(m[TeamGroup], email)
		for _, g := range zoneGroup[p.Zone] {
			m["zone group "+g] = append(m["zone group "+g], email)
		}
	}
	for g := range m {
		slices.Sort(m[g])
		m[g] = slices.Compact(m[g])
	}
	return m
}

// Differencing compares the memberships of two audits of overlapping
// periods. It returns the first group (by name) whose people differ by at
// least one and fewer than minGroup, and how many differ; ok is false then.
func Differencing(prev, cur Membership, minGroup int) (group string, changed int, ok bool) {
	names := make([]string, 0, len(prev)+len(cur))
	for g := range prev {
		names = append(names, g)
	}
	for g := range cur {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range slices.Compact(names) {
		n := symmetricDifference(prev[g], cur[g])
		if n > 0 && n < minGroup {
			return g, n, false
		}
	}
	return "", 0, true
}

// symmetricDifference counts the emails in exactly one of two sorted lists.
func symmetricDifference(a, b []string) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch c := strings.Compare(a[i], b[j]); {
		case c == 0:
			i, j = i+1, j+1
		case c < 0:
			n, i = n+1, i+1
		default:
			n, j = n+1, j+1
		}
	}
	return n + len(a) - i + len(b) - j
}

// Overlaps reports whether two windows share a day.
func (w Window) Overlaps(v Window) bool {
	return !w.IsZero() && !v.IsZero() && !w.To.Before(v.From) && !v.To.Before(w.From)
}
