package web

import (
	"github.com/rhythm-team/rhythm/app"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/playbook"
)

// playbooksView lists the team's playbooks, each with a form that plans a
// run; Plan is the run just planned, if any.
type playbooksView struct {
	teamView
	Playbooks []playbook.Template
	Selected  string
	Date      string
	Plan      *playbook.Plan
	Created   int
}

func (s *Server) playbooksPage(w http.ResponseWriter, r *http.Request, status int, v playbooksView) {
	ts, err := s.app.Playbooks(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.Playbooks = ts
	if v.Date == "" {
		v.Date = s.now().In(v.loc()).AddDate(0, 0, 1).Format(time.DateOnly)
	}
	s.render(w, r, status, "playbooks", "Playbooks · "+v.Team.Name, v)
}

func (s *Server) uiPlaybooks(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := playbooksView{teamView: s.teamView(r, t)}
	v.Fields = map[string]string{}
	s.playbooksPage(w, r, http.StatusOK, v)
}

// uiRunPlaybook plans a run from the form and, with create, stores its
// threads; the plan is shown on the page.
func (s *Server) uiRunPlaybook(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.uiFail(w, r, rhythm.Errorf(rhythm.EINVALID, "reading the form: %v", err))
		return
	}
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := playbooksView{teamView: s.teamView(r, t), Selected: r.PathValue("name"), Date: r.PostFormValue("date")}
	v.Fields = map[string]string{"topic": r.PostFormValue("topic")}
	b := app.PlaybookRun{Date: v.Date, Topic: r.PostFormValue("topic"), Roles: map[string][]string{}, Create: r.PostFormValue("create") != ""}
	for k, vals := range r.PostForm {
		if role, ok := strings.CutPrefix(k, "role."); ok {
			for _, x := range vals {
				if strings.TrimSpace(x) != "" {
					b.Roles[role] = append(b.Roles[role], x)
				}
			}
			v.Fields[k] = strings.Join(vals, ",")
		}
	}
	plan, ths, err := s.app.RunPlaybook(r.Context(), s.actor(r), r.PathValue("team"), r.PathValue("name"), b)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			v.Error = msg
			s.playbooksPage(w, r, status, v)
		})
		return
	}
	v.Plan, v.Created = plan, len(ths)
	if v.Created > 0 {
		v.Notice = "Created " + strconv.Itoa(v.Created) + " thread(s); they are on the Threads page."
	}
	s.playbooksPage(w, r, http.StatusOK, v)
}
