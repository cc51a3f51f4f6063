package web

import (
	"net/http"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/teams", http.StatusSeeOther)
}

// uiFail shows an error page; internal errors are logged, not shown.
func (s *Server) uiFail(w http.ResponseWriter, r *http.Request, err error) {
	code := rhythm.ErrorCode(err)
	if code == rhythm.EINTERNAL {
		s.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.render(w, r, ErrorStatus(code), "error", "Error", rhythm.ErrorMessage(err))
}

func (s *Server) uiTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.db.ListTeams(r.Context())
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "teams", "Teams", teams)
}

// memberRow is a member as the team page shows it.
type memberRow struct {
	team.Member
	LocalNow string // e.g. "Tue 14:05"
	Offset   string // e.g. "UTC+05:45"
	Working  bool
}

func (s *Server) uiTeam(w http.ResponseWriter, r *http.Request) {
	t, err := s.db.Team(r.Context(), r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	now := s.now()
	rows := make([]memberRow, len(t.Members))
	for i := range t.Members {
		m := &t.Members[i]
		local := now.In(m.Location())
		rows[i] = memberRow{Member: *m, LocalNow: local.Format("Mon 15:04"), Offset: utcOffset(local), Working: m.InWorkingHours(now)}
	}
	s.render(w, r, http.StatusOK, "team", t.Name, map[string]any{"Team": t, "Members": rows, "Now": now.UTC().Format("2006-01-02 15:04 UTC")})
}

// utcOffset formats t's zone offset as UTC+05:45, UTC−03:30 or UTC.
func utcOffset(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	h, m := off/3600, off%3600/60
	return "UTC" + sign + twoDigits(h) + ":" + twoDigits(m)
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
