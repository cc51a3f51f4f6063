package decide

import (
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/team"
)

// Request is the wire form of an Input: the JSON body of POST
// /api/v1/decide and what the CLI flags fill. Text fields keep what the
// user wrote so errors can quote it; absent fields take defaults.
type Request struct {
	Purpose        string       `json:"purpose,omitempty"`
	Stakeholders   *int         `json:"stakeholders,omitempty"`
	Zones          *int         `json:"zones,omitempty"`
	OverlapHours   *float64     `json:"overlap_hours,omitempty"`
	Ambiguity      string       `json:"ambiguity,omitempty"`
	Urgency        string       `json:"urgency,omitempty"` // now, hours, days, week, or a duration such as 1h or 3d
	Relationship   string       `json:"relationship,omitempty"`
	Stakes         string       `json:"stakes,omitempty"`
	Record         *bool        `json:"record,omitempty"`
	Functions      *int         `json:"functions,omitempty"`
	Owner          string       `json:"owner,omitempty"`
	ResponseWindow string       `json:"response_window,omitempty"`
	MeetingMax     string       `json:"meeting_max,omitempty"`
	With           []string     `json:"with,omitempty"` // roster members taking part, when a roster is given
	Roster         *team.Roster `json:"roster,omitempty"`
	TeamFigures    *TeamFigures `json:"team_figures,omitempty"`
}

// Input checks the request and returns the Input it describes, with the
// team's norms (response window, meeting maximum) and named participants
// when a team is given (the request's own roster wins over t). Errors are
// EINVALID and start with the field name.
func (r *Request) Input(t *team.Team) (Input, error) {
	var in Input
	in.Purpose = strings.TrimSpace(r.Purpose)
	count := func(field string, v *int, lo, hi int) (int, error) {
		if v == nil {
			return 0, nil
		}
		if *v < lo || *v > hi {
			return 0, invalid(field, "must be %d..%d, got %d", lo, hi, *v)
		}
		return *v, nil
	}
	var err error
	if in.Stakeholders, err = count("stakeholders", r.Stakeholders, 1, MaxStakeholders); err != nil {
		return in, err
	}
	if in.Zones, err = count("zones", r.Zones, 1, MaxZones); err != nil {
		return in, err
	}
	if in.Functions, err = count("functions", r.Functions, 1, MaxFunctions); err != nil {
		return in, err
	}
	if r.OverlapHours != nil {
		if !inRange(*r.OverlapHours, 0, 168) {
			return in, invalid("overlap_hours", "must be 0..168 hours a week, got %s", num(*r.OverlapHours))
		}
		v := *r.OverlapHours
		in.OverlapHours = &v
	}
	level := func(field, s string) (Level, error) {
		if strings.TrimSpace(s) == "" {
			return Unset, nil
		}
		l, err := ParseLevel(s)
		if err != nil {
			return Unset, invalid(field, "%v", err)
		}
		return l, nil
	}
	if in.Ambiguity, err = level("ambiguity", r.Ambiguity); err != nil {
		return in, err
	}
	if in.Relationship, err = level("relationship", r.Relationship); err != nil {
		return in, err
	}
	if in.Stakes, err = level("stakes", r.Stakes); err != nil {
		return in, err
	}
	if strings.TrimSpace(r.Urgency) != "" {
		if in.Urgency, err = ParseUrgency(r.Urgency); err != nil {
			return in, invalid("urgency", "%v", err)
		}
	}
	if r.Record != nil {
		v := *r.Record
		in.Record = &v
	}
	in.Owner = strings.TrimSpace(r.Owner)
	if r.TeamFigures != nil {
		tf := *r.TeamFigures
		in.Team = &tf
	}

	if r.Roster != nil {
		rt, err := r.Roster.Validate()
		if err != nil {
			return in, invalid("roster", "%v", err)
		}
		t = &rt
	}
	if t != nil {
		in.ResponseWindow = t.Norms.ResponseWindow.D()
		in.MeetingMax = t.Norms.MeetingMax.D()
		if len(r.With) > 0 {
			if in.Participants, err = Participants(t, r.With); err != nil {
				return in, err
			}
		}
	} else if len(r.With) > 0 {
		return in, invalid("with", "naming participants needs a roster")
	}
	if s := strings.TrimSpace(r.ResponseWindow); s != "" {
		d, err := team.ParseDuration(s)
		if err != nil {
			return in, invalid("response_window", "%v", err)
		}
		in.ResponseWindow = d
	}
	if s := strings.TrimSpace(r.MeetingMax); s != "" {
		d, err := team.ParseDuration(s)
		if err != nil {
			return in, invalid("meeting_max", "%v", err)
		}
		in.MeetingMax = d
	}
	return in, nil
}

// DecideRequest answers a request. The request's own roster, else t (a
// stored team), supplies the norms — response window, meeting maximum and
// the policy overrides in norms.decide — and the members named in With.
// now is the time the advice is for.
func (p *Policy) DecideRequest(r *Request, t *team.Team, now time.Time) (Decision, error) {
	if r.Roster != nil {
		rt, err := r.Roster.Validate()
		if err != nil {
			return Decision{}, invalid("roster", "%v", err)
		}
		t = &rt
	}
	pol := p
	if t != nil {
		var err error
		if pol, err = p.ForTeam(t.Norms); err != nil {
			return Decision{}, err
		}
	}
	rr := *r
	rr.Roster = nil
	in, err := rr.Input(t)
	if err != nil {
		return Decision{}, err
	}
	in.Now = now
	return pol.Decide(in)
}
