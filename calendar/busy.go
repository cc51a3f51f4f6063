package calendar

import (
	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// Busy is when each member cannot meet, keyed by roster email.
type Busy map[string][]team.Interval

// add records iv for email.
func (b Busy) add(email string, iv team.Interval) {
	if email != "" && iv.End.After(iv.Start) {
		b[email] = append(b[email], iv)
	}
}

// FromInstances reads busy time from a calendar's instances: each instance
// that is not cancelled and not marked free blocks its roster attendees who
// did not decline, its organizer, and owner (whose calendar it is, when
// known) unless owner declined. All-day instances marked busy (out of
// office, leave) block whole days. member maps an address to the roster
// email, or false for people outside the roster.
func FromInstances(ins []ical.Instance, owner string, member func(addr string) (string, bool)) Busy {
	b := Busy{}
	for i := range ins {
		in := &ins[i]
		if in.Status == ical.StatusCancelled || in.Transparent {
			continue
		}
		iv := team.Interval{Start: in.Start, End: in.End}
		declined := map[string]bool{}
		for _, a := range in.Attendees {
			email, ok := member(a.Email)
			if !ok || !a.IsPerson() {
				continue
			}
			if a.PartStat == ical.PartDeclined {
				declined[email] = true
				continue
			}
			b.add(email, iv)
		}
		if o := in.Organizer; o != nil {
			if email, ok := member(o.Email); ok && !declined[email] {
				b.add(email, iv)
			}
		}
		if owner != "" && !declined[owner] {
			b.add(owner, iv)
		}
	}
	b.dedupe()
	return b
}

// FromInteractions reads the busy time of owner from the meetings synced
// from owner's calendar: every one blocks owner unless owner declined it.
func FromInteractions(owner string, ins []ingest.Interaction) []team.Interval {
	var out []team.Interval
	for i := range ins {
		in := &ins[i]
		if in.Mode != ingest.Sync {
			continue
		}
		declined := false
		for _, p := range in.Participants {
			if p.ID == owner && p.Status == ingest.Declined {
				declined = true
			}
		}
		if !declined && in.End.After(in.Start) {
			out = append(out, team.Interval{Start: in.Start, End: in.End})
		}
	}
	return out
}

// dedupe drops repeated intervals (the same meeting seen as organizer and
// attendee).
func (b Busy) dedupe() {
	for k, ivs := range b {
		seen := map[team.Interval]bool{}
		out := ivs[:0]
		for _, iv := range ivs {
			if !seen[iv] {
				seen[iv] = true
				out = append(out, iv)
			}
		}
		b[k] = out
	}
}
