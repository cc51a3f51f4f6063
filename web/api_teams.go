package web

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, rhythm.Errorf(rhythm.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
}

func (s *Server) apiListTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.app.Teams(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"teams": teams})
}

func (s *Server) apiGetTeam(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, t)
}

// readRoster reads a roster body: YAML when the content type says so,
// JSON otherwise.
func (s *Server) readRoster(w http.ResponseWriter, r *http.Request) (team.Team, error) {
	body, err := s.readBody(w, r)
	if err != nil {
		return team.Team{}, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return team.Team{}, rhythm.Errorf(rhythm.EINVALID, "the request body is empty; send a roster as JSON or YAML")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.Contains(mt, "yaml") {
		return team.ParseRoster("roster", body)
	}
	return team.ParseRosterJSON(body)
}

func (s *Server) apiCreateTeam(w http.ResponseWriter, r *http.Request) {
	t, err := s.readRoster(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err = s.app.CreateTeam(r.Context(), s.actor(r), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, t)
}

func (s *Server) apiImportRoster(w http.ResponseWriter, r *http.Request) {
	t, err := s.readRoster(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, created, err := s.app.SaveRoster(r.Context(), s.actor(r), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	s.json(w, status, t)
}

func (s *Server) apiReplaceTeam(w http.ResponseWriter, r *http.Request) {
	t, err := s.readRoster(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err = s.app.ReplaceTeam(r.Context(), s.actor(r), r.PathValue("team"), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, t)
}

func (s *Server) apiDeleteTeam(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeleteTeam(r.Context(), s.actor(r), r.PathValue("team")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiListMembers(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"members": t.Members})
}

func memberID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rhythm.Errorf(rhythm.ENOTFOUND, "member %q not found", r.PathValue("member"))
	}
	return id, nil
}

// readMember reads one member as the roster's JSON form and validates it.
func (s *Server) readMember(w http.ResponseWriter, r *http.Request) (team.Member, error) {
	var rm team.RosterMember
	if err := s.decodeJSON(w, r, &rm); err != nil {
		return team.Member{}, err
	}
	body, _ := json.Marshal(team.Roster{Team: "member", Members: []team.RosterMember{rm}})
	t, err := team.ParseRosterJSON(body)
	if err != nil {
		msg := strings.TrimPrefix(rhythm.ErrorMessage(err), "members[0].")
		return team.Member{}, rhythm.Errorf(rhythm.EINVALID, "%s", msg)
	}
	return t.Members[0], nil
}

func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request) {
	m, err := s.readMember(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err = s.app.AddMember(r.Context(), s.actor(r), r.PathValue("team"), m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, m)
}

func (s *Server) apiGetMember(w http.ResponseWriter, r *http.Request) {
	id, err := memberID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.app.Member(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, m)
}

func (s *Server) apiUpdateMember(w http.ResponseWriter, r *http.Request) {
	id, err := memberID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.readMember(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err = s.app.UpdateMember(r.Context(), s.actor(r), r.PathValue("team"), id, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, m)
}

func (s *Server) apiDeleteMember(w http.ResponseWriter, r *http.Request) {
	id, err := memberID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.DeleteMember(r.Context(), s.actor(r), r.PathValue("team"), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
