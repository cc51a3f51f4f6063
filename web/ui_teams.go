package web

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

// uiFail shows an error page; internal errors are logged, not shown.
func (s *Server) uiFail(w http.ResponseWriter, r *http.Request, err error) {
	code := rhythm.ErrorCode(err)
	if code == rhythm.EINTERNAL {
		s.log.Error("page failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.unavailable(w, r, err)
	s.render(w, r, rhythm.HTTPStatus(code), "error", "Error", rhythm.ErrorMessage(err))
}

// formFail answers a form post that failed with err: errors the person can
// fix (bad input, a conflict, a refusal) show the form's page again through
// again, with the status and message; others show the error page.
func (s *Server) formFail(w http.ResponseWriter, r *http.Request, err error, again func(status int, msg string)) {
	if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
		s.uiFail(w, r, err)
		return
	}
	again(rhythm.HTTPStatus(rhythm.ErrorCode(err)), rhythm.ErrorMessage(err))
}

func (s *Server) uiTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.app.Teams(r.Context(), s.actor(r))
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
	t, err := s.pathTeam(r)
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
	u, _ := currentUser(r)
	ta, _ := teamAccess(r)
	canEdit := u.Role == "admin" || ta.IsLead
	s.render(w, r, http.StatusOK, "team", t.Name, map[string]any{"Team": t, "Members": rows, "Now": stamp(now, s.zone(r).Location()), "CanEdit": canEdit, "CanLead": canEdit})
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

// rosterView is the roster editor: the YAML and what is wrong with it.
type rosterView struct {
	formView
	TeamRef string // "" when creating a new team
	Name    string
	YAML    string
	Line    int // the line the error is on, 0 when none
}

// maxRosterUpload limits roster uploads and edits.
const maxRosterUpload = 1 << 20

// readRosterForm takes the roster from an uploaded file, or else from the
// text area.
func (s *Server) readRosterForm(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRosterUpload+64<<10)
	if err := r.ParseMultipartForm(maxRosterUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, rhythm.Errorf(rhythm.ETOOLARGE, "the roster is larger than %d bytes", maxRosterUpload)
		}
		return "", nil, rhythm.Errorf(rhythm.EINVALID, "reading the form: %v", err)
	}
	if f, h, err := r.FormFile("file"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxRosterUpload+1))
		if err != nil {
			return "", nil, rhythm.Errorf(rhythm.EINVALID, "reading %s: %v", h.Filename, err)
		}
		if len(b) > maxRosterUpload {
			return "", nil, rhythm.Errorf(rhythm.ETOOLARGE, "%s is larger than %d bytes", h.Filename, maxRosterUpload)
		}
		if len(b) > 0 {
			return filepath.Base(h.Filename), b, nil
		}
	}
	return "roster", []byte(r.FormValue("yaml")), nil
}

func (s *Server) uiRoster(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	b, err := team.MarshalRoster(t)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "roster", "Edit roster · "+t.Name, rosterView{TeamRef: strconv.FormatInt(t.ID, 10), Name: t.Name, YAML: string(b)})
}

// rosterError shows the editor again with the error next to the form.
func (s *Server) rosterError(w http.ResponseWriter, r *http.Request, v rosterView, err error) {
	if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
		s.uiFail(w, r, err)
		return
	}
	v.Error = rhythm.ErrorMessage(err)
	var fe *team.FieldError
	if errors.As(err, &fe) {
		v.Line = fe.Line
	}
	title := "New team"
	if v.Name != "" {
		title = "Edit roster · " + v.Name
	}
	s.render(w, r, rhythm.HTTPStatus(rhythm.ErrorCode(err)), "roster", title, v)
}

func (s *Server) uiSaveRoster(w http.ResponseWriter, r *http.Request) {
	ta, _ := teamAccess(r)
	v := rosterView{TeamRef: strconv.FormatInt(ta.TeamID, 10), Name: ta.TeamName}
	name, data, err := s.readRosterForm(w, r)
	v.YAML = string(data)
	if err != nil {
		s.rosterError(w, r, v, err)
		return
	}
	t, err := team.ParseRoster(name, data)
	if err == nil {
		t, err = s.app.ReplaceTeam(r.Context(), s.actor(r), v.TeamRef, t)
	}
	if err != nil {
		s.rosterError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}

func (s *Server) uiNewTeam(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "roster", "New team", rosterView{YAML: newTeamYAML})
}

const newTeamYAML = `team: My Team
norms: {response_window: 24h, meeting_max: 45m, no_meeting_day: wednesday, min_group_size: 5}
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:30", days: mon-fri}
`

func (s *Server) uiCreateTeam(w http.ResponseWriter, r *http.Request) {
	var v rosterView
	name, data, err := s.readRosterForm(w, r)
	v.YAML = string(data)
	if err != nil {
		s.rosterError(w, r, v, err)
		return
	}
	t, err := team.ParseRoster(name, data)
	if err == nil {
		t, err = s.app.CreateTeam(r.Context(), s.actor(r), t)
	}
	if err != nil {
		s.rosterError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}
