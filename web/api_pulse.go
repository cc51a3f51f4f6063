package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/team"
)

// teamRound returns the round of the path, which must belong to the team
// of the path.
func (s *Server) teamRound(r *http.Request) (pulse.Round, error) {
	id, err := pathID(r, "survey round")
	if err != nil {
		return pulse.Round{}, err
	}
	rd, err := s.db.Round(r.Context(), id)
	if err != nil {
		return rd, err
	}
	teamID := int64(0)
	if ta, ok := teamAccess(r); ok {
		teamID = ta.TeamID
	} else { // admin routes do not look the team up
		t, err := s.db.Team(r.Context(), r.PathValue("team"))
		if err != nil {
			return rd, err
		}
		teamID = t.ID
	}
	if teamID != rd.TeamID {
		return rd, rhythm.Errorf(rhythm.ENOTFOUND, "survey round %d not found in this team", id)
	}
	return rd, nil
}

// roundView is a round as a member sees it in lists.
type roundView struct {
	pulse.Round
	// Responses is the round's response count, for leads and admins only:
	// watching it rise as colleagues answer would tell members who did.
	Responses *int         `json:"responses,omitempty"`
	Status    pulse.Status `json:"status"`
	// Answered tells whether the requesting user has answered.
	Answered bool `json:"answered"`
	// OnRoster tells whether the requesting user may answer.
	OnRoster bool `json:"on_roster"`
}

func (s *Server) roundViews(r *http.Request) ([]roundView, error) {
	ta, _ := teamAccess(r)
	rounds, err := s.db.ListRounds(r.Context(), strconv.FormatInt(ta.TeamID, 10))
	if err != nil {
		return nil, err
	}
	u, _ := currentUser(r)
	memberID, err := s.db.MemberIDByEmail(r.Context(), ta.TeamID, u.Email)
	if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		return nil, err
	}
	now := s.now()
	lead := u.Role == account.Admin || ta.IsLead
	out := make([]roundView, len(rounds))
	for i, rd := range rounds {
		out[i] = roundView{Round: rd, Status: rd.Status(now), OnRoster: memberID != 0}
		if lead {
			out[i].Responses = &rounds[i].Responses
		}
		if memberID != 0 {
			if out[i].Answered, err = s.db.HasAnswered(r.Context(), rd.ID, memberID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (s *Server) apiListSurveys(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.ListSurveys(r.Context())
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
	sv.ID = 0
	sv, err := s.db.CreateSurvey(r.Context(), sv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, sv)
}

func (s *Server) apiListRounds(w http.ResponseWriter, r *http.Request) {
	rounds, err := s.roundViews(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"rounds": rounds})
}

// roundRequest is the body that schedules a round: dates (a closing date
// means the end of that day) or times, read in the requester's zone when
// they carry no offset.
type roundRequest struct {
	SurveyID int64  `json:"survey_id"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
	// Imported makes a round that holds one file of answers from another
	// tool instead of collecting answers.
	Imported bool `json:"imported"`
}

// parseWhen reads a date (its midnight in loc, or the next one with
// endOfDay) or a time (parseTyped) for the named field.
func parseWhen(field, v string, endOfDay bool, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, rhythm.Errorf(rhythm.EINVALID, "%s: must be set", field)
	}
	d, err := team.ParseDate(v)
	if err != nil {
		t, err := parseTyped(field, v, loc)
		if err != nil {
			return time.Time{}, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a date (2026-04-01) or a time (2026-04-01T09:00, read in %s, or 2026-04-01T09:00:00Z)", field, v, loc)
		}
		return t, nil
	}
	if endOfDay {
		d = team.DateOf(time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, time.UTC))
	}
	return team.LocalTime(d, 0, loc).UTC(), nil
}

func (req roundRequest) round(now time.Time, loc *time.Location) (pulse.Round, error) {
	o, err := parseWhen("opens", req.Opens, false, loc)
	if err != nil {
		return pulse.Round{}, err
	}
	c, err := parseWhen("closes", req.Closes, true, loc)
	if err != nil {
		return pulse.Round{}, err
	}
	rd := pulse.Round{SurveyID: req.SurveyID, Opens: o, Closes: c, Imported: req.Imported}
	if err := rd.CheckNotPast(now, rd.Imported); err != nil {
		return rd, err
	}
	return rd, nil
}

func (s *Server) apiCreateRound(w http.ResponseWriter, r *http.Request) {
	var req roundRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := req.round(s.now(), s.zone(r).Location())
	if err == nil {
		ta, _ := teamAccess(r)
		rd, err = s.db.CreateRound(r.Context(), strconv.FormatInt(ta.TeamID, 10), rd)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, rd)
}

// submitAnswers records the signed-in member's answers to the round.
func (s *Server) submitAnswers(r *http.Request, rd pulse.Round, a pulse.Answers) error {
	u, _ := currentUser(r)
	memberID, err := s.db.MemberIDByEmail(r.Context(), rd.TeamID, u.Email)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return rhythm.Errorf(rhythm.EFORBIDDEN, "only people on the roster of team %q answer its survey", rd.Team)
	} else if err != nil {
		return err
	}
	return s.db.SubmitResponse(r.Context(), rd.ID, memberID, a)
}

func (s *Server) apiSubmitResponse(w http.ResponseWriter, r *http.Request) {
	rd, err := s.teamRound(r)
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
	if err := s.submitAnswers(r, rd, body.Answers); err != nil {
		s.fail(w, r, err)
		return
	}
	// Nothing that identifies the stored response is returned.
	s.json(w, http.StatusCreated, map[string]any{"recorded": true, "round": rd.ID})
}

func (s *Server) apiRoundResults(w http.ResponseWriter, r *http.Request) {
	rd, err := s.teamRound(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, _, err := s.db.RoundResults(r.Context(), rd.ID, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, res)
}

func (s *Server) apiExportResponses(w http.ResponseWriter, r *http.Request) {
	rd, err := s.teamRound(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, rs, err := s.db.RoundResults(r.Context(), rd.ID, s.now())
	if err == nil && res.Suppressed {
		err = rhythm.Errorf(rhythm.EFORBIDDEN, "%s", res.Reason)
	}
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
	w.Header().Set("Content-Disposition", `attachment; filename="round-`+strconv.FormatInt(rd.ID, 10)+`.csv"`)
	w.Write(buf.Bytes())
}

func (s *Server) apiImportResponses(w http.ResponseWriter, r *http.Request) {
	rd, err := s.teamRound(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sv, err := s.db.Survey(r.Context(), rd.SurveyID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := pulse.ReadResponsesCSV("body", bytes.NewReader(body), sv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(body)
	n, err := s.db.ImportResponses(r.Context(), rd.ID, hex.EncodeToString(sum[:]), rs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"imported": n})
}

func (s *Server) apiChurn(w http.ResponseWriter, r *http.Request) {
	ta, _ := teamAccess(r)
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
	rows, err := s.db.Churn(r.Context(), strconv.FormatInt(ta.TeamID, 10), from, to)
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
	n, err := s.db.SaveSamples(r.Context(), "api", samples)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"samples": len(samples), "values": n})
}

// correlationReport builds the correlation report from everything stored.
func (s *Server) correlationReport(r *http.Request) (pulse.CorrelationReport, error) {
	q := r.URL.Query()
	samples, err := s.db.OutcomeSamples(r.Context(), s.now(), nil)
	if err != nil {
		return pulse.CorrelationReport{}, err
	}
	seed, _ := strconv.ParseUint(q.Get("seed"), 10, 64)
	return pulse.Correlate(pulse.CorrelationRequest{Samples: samples, X: q["x"], Y: q["y"], Options: stats.Options{Seed: seed}})
}

func (s *Server) apiCorrelations(w http.ResponseWriter, r *http.Request) {
	rep, err := s.correlationReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, rep)
}
