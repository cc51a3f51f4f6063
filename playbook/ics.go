package playbook

import (
	"io"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/ical"
	"github.com/rhythm-team/rhythm/team"
)

// dueBlock is the length of the calendar block that ends at a due-by.
const dueBlock = 15 * time.Minute

// CalendarEvents counts the events WriteICS writes: live sessions, and
// due-by blocks (posts, replies and decision records).
func (p *Plan) CalendarEvents() (sessions, dues int) {
	for _, th := range p.Threads {
		dues += 1 + len(th.Dues)
	}
	return len(p.Sessions), dues + len(p.Decisions)
}

// WriteICS writes the plan as an iCalendar file: each live session as a
// meeting with its attendees, and each due-by (the owner's post, every
// responder's reply, the decision record) as a short free block ending
// at it, on the person's own calendar, in their zone.
func (p *Plan) WriteICS(w io.Writer, t *team.Team, stamp time.Time) error {
	member := func(email string) (*team.Member, ical.Attendee) {
		m, ok := t.Member(email)
		if !ok {
			return nil, ical.Attendee{Email: strings.ToLower(email), PartStat: ical.PartNeedsAction, Role: ical.RoleRequired, CUType: ical.CUIndividual}
		}
		return m, ical.Attendee{Email: strings.ToLower(m.Email), Name: m.Name, PartStat: ical.PartNeedsAction, Role: ical.RoleRequired, CUType: ical.CUIndividual}
	}
	at := func(t time.Time, m *team.Member) ical.DateTime {
		if m == nil {
			return ical.At(t.UTC())
		}
		return ical.At(t.In(m.Location()))
	}
	var evs []*ical.Event
	due := func(uid, summary, email string, by time.Time) {
		m, a := member(email)
		org := a
		evs = append(evs, &ical.Event{UID: uid, Summary: summary, Start: at(by.Add(-dueBlock), m), End: at(by, m), Transparent: true,
			Status: ical.StatusConfirmed, Organizer: &org, Attendees: []ical.Attendee{a}})
	}
	for _, th := range p.Threads {
		due("post."+th.UID, "Post: "+th.Title, th.Owner, th.OwnerDue)
		for _, d := range th.Dues {
			due("reply."+strings.ToLower(d.Member)+"."+th.UID, "Reply by: "+th.Title, d.Member, d.At)
		}
	}
	for _, s := range p.Sessions {
		om, org := member(s.Owner)
		ev := &ical.Event{UID: s.UID, Summary: s.Title, Start: at(s.Start, om), End: at(s.End, om), Status: ical.StatusConfirmed, Organizer: &org}
		for _, e := range s.Attendees {
			_, a := member(e)
			ev.Attendees = append(ev.Attendees, a)
		}
		evs = append(evs, ev)
	}
	for _, d := range p.Decisions {
		due(d.UID, "Record decision: "+d.Title, d.Owner, d.DueBy)
	}
	return ical.Write(w, evs, ical.WriteOptions{Name: p.Heading(), Method: "PUBLISH", Stamp: stamp})
}
