package app

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/calendar/caldav"
	"github.com/rhythm-team/rhythm/calendar/icsfeed"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
)

// CalendarConfig is what connecting and syncing live calendars needs: the
// key that seals credentials and what the server may fetch.
type CalendarConfig struct {
	Box      *secret.Box
	Policy   outbound.Policy
	MaxBytes int64         // one calendar download; 0: the outbound default
	Every    time.Duration // between syncs; 0: calendar.DefaultEvery
	ID       string        // names this process in sync claims
	// Back and Ahead bound the instances kept around now (0: the
	// worker's defaults).
	Back, Ahead time.Duration
}

// WithCalendars enables the calendar use cases; it returns a.
func (a *App) WithCalendars(c CalendarConfig) *App {
	a.calendars = &c
	return a
}

// CalendarsEnabled reports whether live calendars are on.
func (a *App) CalendarsEnabled() bool { return a.calendars != nil && a.calendars.Box != nil }

func (a *App) calendarConfig() (*CalendarConfig, error) {
	if a.calendars == nil || a.calendars.Box == nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "live calendars are not enabled on this server: give it a secret key (--secret-key-file or RHYTHM_SECRET_KEY)")
	}
	return a.calendars, nil
}

// CalendarWorker returns the worker that syncs due calendars.
func (a *App) CalendarWorker() (*calendar.Worker, error) {
	c, err := a.calendarConfig()
	if err != nil {
		return nil, err
	}
	id := c.ID
	if id == "" {
		host, _ := os.Hostname()
		id = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return &calendar.Worker{Store: a.db, Box: c.Box, HTTP: c.Policy.Client(), MaxBytes: c.MaxBytes, Resolver: a.db.Resolver,
		ID: id, Every: c.Every, Back: c.Back, Ahead: c.Ahead, Now: a.now}, nil
}

// CalendarInput is what a person gives to connect a calendar: a link, or a
// CalDAV server with a user name and app password (and which calendar,
// when the account has several).
type CalendarInput struct {
	// Team asks for a team (or room) calendar; else the calendar is
	// Member's, or the caller's own when Member is empty.
	Team     bool   `json:"team,omitempty"`
	Member   string `json:"member,omitempty"` // email, name or alias
	ICSURL   string `json:"ics_url,omitempty"`
	CalDAV   string `json:"caldav_url,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Calendar string `json:"calendar,omitempty"`
}

// CalendarView is a connection as people see it: never its credentials.
type CalendarView struct {
	calendar.Record
	State string `json:"state"`
}

func viewCalendar(r calendar.Record) CalendarView { return CalendarView{Record: r, State: r.State()} }

// mayManage reports whether who may see and change connection r: its
// member, the team's leads, admins and the command line.
func mayManage(who Actor, t TeamOf, r calendar.Record) bool {
	return who.Admin() || t.Access.IsLead || (r.Member != "" && strings.EqualFold(r.Member, who.Email))
}

// Calendars lists a team's connections: all of them for its leads and
// admins, a member's own for a member.
func (a *App) Calendars(ctx context.Context, who Actor, teamRef string) ([]CalendarView, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return nil, err
	}
	recs, err := a.db.CalendarConnections(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := []CalendarView{}
	for _, r := range recs {
		if mayManage(who, t, r) {
			out = append(out, viewCalendar(r))
		}
	}
	return out, nil
}

// ConnectCalendar stores a new connection. A member connects their own
// calendar; a team calendar, or another member's, takes a lead. A CalDAV
// account is checked (discovery) before anything is stored.
func (a *App) ConnectCalendar(ctx context.Context, who Actor, teamRef string, in CalendarInput) (CalendarView, error) {
	cfg, err := a.calendarConfig()
	if err != nil {
		return CalendarView{}, err
	}
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return CalendarView{}, err
	}
	member := ""
	switch {
	case in.Team && in.Member != "":
		return CalendarView{}, rhythm.Errorf(rhythm.EINVALID, "a calendar is the team's or a member's, not both")
	case in.Team:
	case in.Member != "":
		m, err := t.Resolve(in.Member)
		if err != nil {
			return CalendarView{}, rhythm.Errorf(rhythm.EINVALID, "member: %s", rhythm.ErrorMessage(err))
		}
		member = m.Email
	default:
		m, ok := t.Member(who.Email)
		if !ok {
			return CalendarView{}, rhythm.Errorf(rhythm.EINVALID, "member: you are not on team %q's roster; name the member whose calendar it is", t.Name)
		}
		member = m.Email
	}
	lead := who.Admin() || t.Access.IsLead
	if !lead && (member == "" || !strings.EqualFold(member, who.Email)) {
		return CalendarView{}, rhythm.Errorf(rhythm.EFORBIDDEN, "a member connects their own calendar; team calendars and other members' take a lead")
	}
	if (in.ICSURL == "") == (in.CalDAV == "") {
		return CalendarView{}, rhythm.Errorf(rhythm.EINVALID, "give one of ics_url (a calendar link) or caldav_url (a CalDAV server)")
	}
	kind, link, href, name := calendar.ICS, in.ICSURL, "", ""
	if in.CalDAV != "" {
		kind, link = calendar.CalDAV, in.CalDAV
		if in.Username == "" || in.Password == "" {
			return CalendarView{}, rhythm.Errorf(rhythm.EINVALID, "caldav_url needs username and password (an app password)")
		}
		if href, name, err = chooseCalendar(ctx, cfg.Policy, in); err != nil {
			return CalendarView{}, err
		}
	} else if _, err := cfg.Policy.CheckURL(strings.Replace(link, "webcal://", "https://", 1)); err != nil {
		return CalendarView{}, err
	}
	rec, err := calendar.NewRecord(cfg.Box, t.ID, member, kind, link, in.Username, in.Password, href, name)
	if err != nil {
		return CalendarView{}, err
	}
	rec, err = a.db.CreateCalendarConnection(ctx, rec)
	return viewCalendar(rec), err
}

// chooseCalendar finds the account's calendars and picks the one named, or
// the only one.
func chooseCalendar(ctx context.Context, pol outbound.Policy, in CalendarInput) (href, name string, err error) {
	cl, err := caldav.New(pol.Client(), in.CalDAV, in.Username, in.Password)
	if err != nil {
		return "", "", err
	}
	cals, err := cl.Discover(ctx)
	if err != nil {
		return "", "", err
	}
	var names []string
	for _, c := range cals {
		if in.Calendar != "" && (strings.EqualFold(c.Name, in.Calendar) || c.Href == in.Calendar) {
			return c.Href, c.Name, nil
		}
		names = append(names, strconv.Quote(c.Name))
	}
	switch {
	case len(cals) == 0:
		return "", "", rhythm.Errorf(rhythm.EINVALID, "the account at %s has no calendar with events", icsfeed.Host(in.CalDAV))
	case in.Calendar == "" && len(cals) == 1:
		return cals[0].Href, cals[0].Name, nil
	case in.Calendar == "":
		return "", "", rhythm.Errorf(rhythm.EINVALID, "calendar: the account has %d calendars, choose one (%s)", len(cals), strings.Join(names, ", "))
	}
	return "", "", rhythm.Errorf(rhythm.EINVALID, "calendar: no calendar %q (the account has %s)", in.Calendar, strings.Join(names, ", "))
}

// calendarOf reads connection id of the team and checks who may manage it.
// A connection of another team is not found.
func (a *App) calendarOf(ctx context.Context, who Actor, teamRef string, id int64) (TeamOf, calendar.Record, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, calendar.Record{}, err
	}
	r, err := a.db.CalendarConnection(ctx, id)
	if err != nil || r.TeamID != t.ID {
		return t, r, rhythm.Errorf(rhythm.ENOTFOUND, "team %q has no calendar connection %d", t.Name, id)
	}
	if !mayManage(who, t, r) {
		return t, r, rhythm.Errorf(rhythm.EFORBIDDEN, "only its member or a lead may change calendar connection %d", id)
	}
	return t, r, nil
}

// RemoveCalendar deletes a connection, its credentials and what was read
// from it.
func (a *App) RemoveCalendar(ctx context.Context, who Actor, teamRef string, id int64) error {
	if _, _, err := a.calendarOf(ctx, who, teamRef, id); err != nil {
		return err
	}
	return a.db.DeleteCalendarConnection(ctx, id)
}

// SyncCalendar syncs one connection now and returns its new state. It is
// ECONFLICT while a server syncs it.
func (a *App) SyncCalendar(ctx context.Context, who Actor, teamRef string, id int64) (CalendarView, error) {
	if _, _, err := a.calendarOf(ctx, who, teamRef, id); err != nil {
		return CalendarView{}, err
	}
	w, err := a.CalendarWorker()
	if err != nil {
		return CalendarView{}, err
	}
	now := a.now()
	rec, err := a.db.ClaimCalendarSync(ctx, w.ID, id, now, now.Add(10*time.Minute))
	if err != nil {
		return CalendarView{}, err
	}
	if err := a.db.FinishCalendarSync(ctx, id, w.ID, w.Sync(ctx, &rec)); err != nil {
		return CalendarView{}, err
	}
	rec, err = a.db.CalendarConnection(ctx, id)
	return viewCalendar(rec), err
}
