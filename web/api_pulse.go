package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/team"
)

func (s *Server) apiListSurveys(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Surveys(r.Context(), s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"surveys": list})
}

func (s *Server) apiCreateSurvey(w http.ResponseWriter, r *http.Request) {
	var sv pulse.Survey
	if err := s.decodeJSON(w, r, &sv); err != nil {
		s.fail(w, r, err)
		return
	}
	sv, err := s.app.CreateSurvey(r.Context(), s.actor(r), sv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, sv)
}

func (s *Server) apiListRounds(w http.ResponseWriter, r *http.Request) {
	rounds, err := s.app.Rounds(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"rounds": rounds})
}

func (s *Server) apiCreateRound(w http.ResponseWriter, r *http.Request) {
	var in app.RoundInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.Zone = s.zone(r).Location() // dates and wall times on the requester's clock
	rd, err := s.app.CreateRound(r.Context(), s.actor(r), r.PathValue("team"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, rd)
}

func (s *Server) apiSubmitResponse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "survey round")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body struct {
		Answers pulse.Answers `json:"answers"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.app.SubmitAnswers(r.Context(), s.actor(r), r.PathValue("team"), id, body.Answers)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Nothing that identifies the stored response is returned.
	s.json(w, http.StatusCreated, map[string]any{"recorded": true, "round": rd.ID})
}

func (s *Server) apiRoundResults(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "survey round")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.app.RoundResults(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, res)
}

func (s *Server) apiExportResponses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "survey round")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, rs, err := s.app.RoundResponses(r.Context(), s.actor(r), r.PathValue("team"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := pulse.WriteResponsesCSV(&buf, res.Survey, rs); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="round-`+strconv.FormatInt(id, 10)+`.csv"`)
	w.Write(buf.Bytes())
}

func (s *Server) apiImportResponses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "survey round")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.app.ImportResponses(r.Context(), s.actor(r), r.PathValue("team"), id, "body", body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"imported": n})
}

func (s *Server) apiChurn(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := team.DateOf(s.now().UTC())
	from := team.DateOf(s.now().UTC().AddDate(-1, 0, 0))
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = team.ParseDate(v); err != nil {
			s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "from: %v", err))
			return
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = team.ParseDate(v); err != nil {
			s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "to: %v", err))
			return
		}
	}
	rows, err := s.app.Churn(r.Context(), s.actor(r), r.PathValue("team"), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"churn": rows})
}

func (s *Server) apiImportMetrics(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	samples, err := metric.Read("body", body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.app.ImportMetrics(r.Context(), s.actor(r), "api", samples)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"samples": len(samples), "values": n})
}

func (s *Server) apiCorrelations(w http.ResponseWriter, r *http.Request) {
	rep, err := s.correlationReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, rep)
}
