package decide

import (
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// advice turns the decision into concrete format advice.
func (p *Policy) advice(in *Input, d *Decision, pu *purpose, urgency, window time.Duration) Advice {
	a := Advice{ResponseWindow: team.Duration(window)}
	pa := &pu.advice
	gf := &p.file.Advice

	switch d.Mode {
	case Async:
		a.Format = pick(pa.Async, gf.Format.Async)
	case Sync:
		a.Format = pick(pa.Sync, gf.Format.Sync)
	default:
		a.Format = pick(pa.Hybrid, gf.Format.Hybrid)
	}

	// The live part: timebox and attendee cap.
	if d.Mode != Async {
		tb := pu.timebox
		if d.Playbook != nil && d.Playbook.Timebox > 0 {
			tb = d.Playbook.Timebox.D()
		}
		maxMeeting := in.MeetingMax
		if maxMeeting == 0 {
			maxMeeting = team.DefaultMeetingMax
		}
		if tb > maxMeeting {
			a.Notes = append(a.Notes, "The timebox is cut to the team's meeting maximum of "+team.Duration(maxMeeting).String()+".")
			tb = maxMeeting
		}
		a.Timebox = team.Duration(tb)
		capN := int(p.attendeeCap)
		a.AttendeeCap = min(d.Facts.Stakeholders, capN)
		if d.Facts.Stakeholders > capN {
			a.Notes = append(a.Notes, "Invite at most "+strconv.Itoa(capN)+" people to the live part; the other "+
				strconv.Itoa(d.Facts.Stakeholders-capN)+" follow the written record.")
		}
	}

	owner := "@owner"
	if o := strings.TrimSpace(in.Owner); o != "" {
		owner = "@" + strings.TrimPrefix(o, "@")
	} else if len(in.Participants) > 0 {
		owner = "@" + in.Participants[0].Name
	}
	a.Owner = strings.ReplaceAll(pick(pa.Owner, gf.Owner), "{owner}", owner)
	if d.Facts.Record {
		a.Record = pick(pa.Record, gf.Record.Yes)
	} else {
		a.Record = pick(pa.Record, gf.Record.No)
	}

	due := min(window, urgency)
	if urgency < window {
		a.Notes = append(a.Notes, "A response is needed within "+fmtHours(urgency.Hours())+
			", sooner than the team's "+team.Duration(window).String()+" response window: say so in the first line.")
	}
	if !in.Now.IsZero() {
		at := in.Now.Add(due).UTC()
		a.Due = &at
		if d.Mode != Sync && len(in.Participants) > 0 {
			a.DueFor = "reply"
			if d.Mode == Hybrid {
				a.DueFor = "pre-read"
			}
			for i := range in.Participants {
				m := &in.Participants[i]
				dd, ok := dueBy(m, in.Now, at)
				if !ok {
					a.Notes = append(a.Notes, m.Name+" has no working time in the next two weeks.")
					continue
				}
				if dd.Late {
					a.Notes = append(a.Notes, m.Name+" has no working time before the deadline; their "+a.DueFor+" is due at the end of their next working stretch.")
				}
				a.DueBy = append(a.DueBy, dd)
			}
		}
	}
	if o := d.Facts.OverlapHours; o != nil && *o == 0 && d.Mode != Async {
		a.Notes = append(a.Notes, "The participants share no working hours: rotate who joins outside their hours, and record the live part for anyone who cannot.")
	}
	if d.Mode != Async && len(in.Participants) > 1 {
		a.Notes = append(a.Notes, "Find a fair slot for the live part with rhythm schedule.")
	}
	return a
}

func pick(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}
