package web

import (
	"net/http"
	"strconv"

	"github.com/rhythm-team/rhythm/app"
)

// calendarsView is the Calendars page: the connections the viewer may see,
// and the form to connect one.
type calendarsView struct {
	TeamID    int64
	TeamName  string
	Calendars []app.CalendarView
	CanTeam   bool // may connect team calendars (a lead or an admin)
	Enabled   bool // live calendars are on for this server
	Error     string
	Notice    string
}

func (s *Server) calendarsPage(w http.ResponseWriter, r *http.Request, status int, errMsg, notice string) {
	who := s.actor(r)
	t, err := s.app.Team(r.Context(), who, r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	cals, err := s.app.Calendars(r.Context(), who, r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := calendarsView{TeamID: t.ID, TeamName: t.Name, Calendars: cals, CanTeam: who.Admin() || t.Access.IsLead,
		Enabled: s.app.CalendarsEnabled(), Error: errMsg, Notice: notice}
	s.render(w, r, status, "calendars", "Calendars · "+t.Name, v)
}

func (s *Server) uiCalendars(w http.ResponseWriter, r *http.Request) {
	s.calendarsPage(w, r, http.StatusOK, "", "")
}

// uiConnectCalendar connects a calendar from the form, then syncs it once
// so that the page shows at once whether it works.
func (s *Server) uiConnectCalendar(w http.ResponseWriter, r *http.Request) {
	again := func(status int, msg string) { s.calendarsPage(w, r, status, msg, "") }
	in := app.CalendarInput{
		Team:     r.PostFormValue("whose") == "team",
		ICSURL:   r.PostFormValue("ics_url"),
		CalDAV:   r.PostFormValue("caldav_url"),
		Username: r.PostFormValue("username"),
		Password: r.PostFormValue("password"),
		Calendar: r.PostFormValue("calendar"),
	}
	if m := r.PostFormValue("member"); m != "" && !in.Team {
		in.Member = m
	}
	v, err := s.app.ConnectCalendar(r.Context(), s.actor(r), r.PathValue("team"), in)
	if err != nil {
		s.formFail(w, r, err, again)
		return
	}
	if v, err = s.app.SyncCalendar(r.Context(), s.actor(r), r.PathValue("team"), v.ID); err != nil {
		s.formFail(w, r, err, again)
		return
	}
	s.calendarsPage(w, r, http.StatusOK, "", "Connected calendar "+strconv.FormatInt(v.ID, 10)+": "+v.State)
}

func (s *Server) uiCalendarAction(w http.ResponseWriter, r *http.Request) {
	again := func(status int, msg string) { s.calendarsPage(w, r, status, msg, "") }
	id, err := pathID(r, "calendar")
	if err != nil {
		s.formFail(w, r, err, again)
		return
	}
	who, team := s.actor(r), r.PathValue("team")
	switch r.PostFormValue("action") {
	case "remove":
		if err := s.app.RemoveCalendar(r.Context(), who, team, id); err != nil {
			s.formFail(w, r, err, again)
			return
		}
		s.calendarsPage(w, r, http.StatusOK, "", "Removed calendar "+strconv.FormatInt(id, 10)+" and the events read from it.")
	default:
		v, err := s.app.SyncCalendar(r.Context(), who, team, id)
		if err != nil {
			s.formFail(w, r, err, again)
			return
		}
		s.calendarsPage(w, r, http.StatusOK, "", "Calendar "+strconv.FormatInt(id, 10)+": "+v.State)
	}
}
