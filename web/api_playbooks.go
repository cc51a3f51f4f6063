package web

import (
	"net/http"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// teamTemplates returns the built-in templates and the team's own.
func (s *Server) teamTemplates(r *http.Request, teamID int64) ([]playbook.Template, error) {
	stored, err := s.db.TeamPlaybooks(r.Context(), teamID)
	if err != nil {
		return nil, err
	}
	var own []playbook.Template
	for _, p := range stored {
		t, err := playbook.Parse(p.Name+".yaml", []byte(p.YAML))
		if err != nil {
			return nil, err
		}
		own = append(own, t)
	}
	return append(playbook.Builtins(), own...), nil
}

func (s *Server) apiBuiltinPlaybooks(w http.ResponseWriter, r *http.Request) {
	s.json(w, http.StatusOK, map[string]any{"playbooks": playbook.Builtins()})
}

func (s *Server) apiTeamPlaybooks(w http.ResponseWriter, r *http.Request) {
	ta, _ := teamAccess(r)
	ts, err := s.teamTemplates(r, ta.TeamID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"playbooks": ts})
}

// findTemplate returns the template named in the path, or ENOTFOUND.
func (s *Server) findTemplate(r *http.Request) (playbook.Template, error) {
	ta, _ := teamAccess(r)
	ts, err := s.teamTemplates(r, ta.TeamID)
	if err != nil {
		return playbook.Template{}, err
	}
	name := r.PathValue("name")
	for _, t := range ts {
		if t.Name == name {
			return t, nil
		}
	}
	_, err = playbook.Find(name, ts[len(playbook.Builtins()):])
	return playbook.Template{}, rhythm.Errorf(rhythm.ENOTFOUND, "%s", rhythm.ErrorMessage(err))
}

func (s *Server) apiGetPlaybook(w http.ResponseWriter, r *http.Request) {
	t, err := s.findTemplate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "yaml" {
		b, err := playbook.Marshal(t)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Write(b)
		return
	}
	s.json(w, http.StatusOK, t)
}

func (s *Server) apiPutPlaybook(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := playbook.Parse("body", body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.PathValue("name")
	if t.Name != name {
		s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "name: %q does not match the playbook named in the path (%q)", t.Name, name))
		return
	}
	if _, ok := playbook.Builtin(name); ok {
		s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "name: %q is a built-in playbook; choose another name", name))
		return
	}
	ta, _ := teamAccess(r)
	u, _ := currentUser(r)
	if _, err := s.db.SaveTeamPlaybook(r.Context(), ta.TeamID, store.TeamPlaybook{Name: name, YAML: string(body), UpdatedBy: u.Email}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, t)
}

func (s *Server) apiDeletePlaybook(w http.ResponseWriter, r *http.Request) {
	ta, _ := teamAccess(r)
	if err := s.db.DeleteTeamPlaybook(r.Context(), ta.TeamID, r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// runBody is the JSON body that runs a playbook.
type runBody struct {
	Date   string              `json:"date"`
	Topic  string              `json:"topic,omitempty"`
	Roles  map[string][]string `json:"roles,omitempty"`
	Create bool                `json:"create,omitempty"`
}

// runPlaybook instantiates the path's playbook for the team and, when
// asked, stores its threads.
func (s *Server) runPlaybook(r *http.Request, b runBody) (*playbook.Plan, []thread.Thread, error) {
	tp, err := s.findTemplate(r)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		// The run names a playbook that does not exist: bad input.
		return nil, nil, rhythm.Errorf(rhythm.EINVALID, "playbook: %s", rhythm.ErrorMessage(err))
	} else if err != nil {
		return nil, nil, err
	}
	date, err := team.ParseDate(b.Date)
	if err != nil {
		return nil, nil, rhythm.Errorf(rhythm.EINVALID, "date: %v", err)
	}
	t, err := s.pathTeam(r)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	plan, err := playbook.Instantiate(tp, playbook.Request{Team: &t, Date: date, Topic: b.Topic, Roles: b.Roles, Now: now, Scheduler: s.scheduler})
	if err != nil || !b.Create {
		return plan, nil, err
	}
	u, _ := currentUser(r)
	var ths []thread.Thread
	for _, n := range plan.NewThreads() {
		th, err := n.Validate(&t, u.Email, now)
		if err != nil {
			return plan, nil, err
		}
		ths = append(ths, th)
	}
	ths, err = s.db.CreateThreads(r.Context(), ths)
	return plan, ths, err
}

func (s *Server) apiRunPlaybook(w http.ResponseWriter, r *http.Request) {
	var b runBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	plan, ths, err := s.runPlaybook(r, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if b.Create {
		status = http.StatusCreated
	}
	if ths == nil {
		ths = []thread.Thread{}
	}
	s.json(w, status, map[string]any{"plan": plan, "threads": ths})
}
