package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/store"
)

// reminderFilter reads ?state= (a state, "failing" or "all") of a
// reminder list; the default is "failing": what the lead should look at.
func reminderFilter(r *http.Request) (store.ReminderFilter, string, error) {
	var f store.ReminderFilter
	st := strings.TrimSpace(r.URL.Query().Get("state"))
	switch st {
	case "", "failing":
		f.Failing = true
		st = "failing"
	case "all":
	default:
		s, err := remind.ParseState(st)
		if err != nil {
			return f, st, rhythm.Errorf(rhythm.EINVALID, "state: %v (or failing, all)", err)
		}
		f.States = []remind.State{s}
	}
	return f, st, nil
}

func (s *Server) apiListReminders(w http.ResponseWriter, r *http.Request) {
	f, _, err := reminderFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.app.Reminders(r.Context(), s.actor(r), r.PathValue("team"), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	channels := s.channels
	if channels == nil {
		channels = []string{}
	}
	s.json(w, http.StatusOK, map[string]any{"channels": channels, "reminders": rs})
}

func (s *Server) retryReminder(r *http.Request) (remind.Reminder, error) {
	id, err := pathID(r, "reminder")
	if err != nil {
		return remind.Reminder{}, err
	}
	return s.app.RetryReminder(r.Context(), s.actor(r), r.PathValue("team"), id)
}

func (s *Server) apiRetryReminder(w http.ResponseWriter, r *http.Request) {
	rm, err := s.retryReminder(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, rm)
}

// remindersView is the lead's page of reminder deliveries.
type remindersView struct {
	teamView
	State     string
	Channels  []string
	Reminders []remind.Reminder
}

func (s *Server) uiReminders(w http.ResponseWriter, r *http.Request) {
	s.remindersPage(w, r, http.StatusOK, formView{})
}

func (s *Server) remindersPage(w http.ResponseWriter, r *http.Request, status int, fv formView) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := remindersView{teamView: s.teamView(r, t), Channels: s.channels}
	v.formView = fv
	f, st, err := reminderFilter(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.State = st
	if v.Reminders, err = s.app.Reminders(r.Context(), s.actor(r), r.PathValue("team"), f); err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, status, "reminders", "Reminders · "+t.Name, v)
}

func (s *Server) uiRetryReminder(w http.ResponseWriter, r *http.Request) {
	if _, err := s.retryReminder(r); err != nil {
		s.formFail(w, r, err, func(status int, msg string) { s.remindersPage(w, r, status, formView{Error: msg}) })
		return
	}
	ta, _ := teamAccess(r)
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(ta.TeamID, 10)+"/reminders?state=pending", http.StatusSeeOther)
}
