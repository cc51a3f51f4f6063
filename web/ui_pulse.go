package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/team"
)

// isLead reports whether the requester leads the team of the path (or is
// an admin).
func isLead(r *http.Request) bool {
	u, _ := currentUser(r)
	ta, _ := teamAccess(r)
	return u.Role == account.Admin || ta.IsLead
}

func (s *Server) uiPulse(w http.ResponseWriter, r *http.Request) {
	s.renderPulse(w, r, http.StatusOK, formView{Notice: noticeOf(r)})
}

func noticeOf(r *http.Request) string {
	switch r.URL.Query().Get("done") {
	case "round":
		return "The round is scheduled."
	case "answered":
		return "Thank you. Your answers are stored without your name."
	}
	return ""
}

func (s *Server) renderPulse(w http.ResponseWriter, r *http.Request, status int, fv formView) {
	ta, _ := teamAccess(r)
	rounds, err := s.roundViews(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	surveys, err := s.db.ListSurveys(r.Context())
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	if fv.Fields == nil {
		today := s.now().UTC()
		fv.Fields = map[string]string{"opens": today.Format(time.DateOnly), "closes": today.AddDate(0, 0, 13).Format(time.DateOnly)}
	}
	var churn []pulse.ChurnRow
	if isLead(r) {
		today := team.DateOf(s.now().UTC())
		from := metric.QuarterOf(team.DateOf(s.now().UTC().AddDate(0, -9, 0))).Start
		if churn, err = s.db.Churn(r.Context(), strconv.FormatInt(ta.TeamID, 10), from, today); err != nil {
			s.uiFail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "pulse", "Pulse · "+ta.TeamName, map[string]any{
		"Team": ta, "Rounds": rounds, "Surveys": surveys, "Lead": isLead(r), "Form": fv, "Churn": churn,
	})
}

func (s *Server) uiCreateRound(w http.ResponseWriter, r *http.Request) {
	ta, _ := teamAccess(r)
	fv := formView{Fields: map[string]string{"opens": r.PostFormValue("opens"), "closes": r.PostFormValue("closes"), "survey": r.PostFormValue("survey")}}
	surveyID, _ := strconv.ParseInt(r.PostFormValue("survey"), 10, 64)
	rd, err := roundRequest{SurveyID: surveyID, Opens: r.PostFormValue("opens"), Closes: r.PostFormValue("closes")}.round(s.now(), s.zone(r).Location())
	if err == nil {
		_, err = s.db.CreateRound(r.Context(), strconv.FormatInt(ta.TeamID, 10), rd)
	}
	if err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		fv.Error = rhythm.ErrorMessage(err)
		s.renderPulse(w, r, ErrorStatus(rhythm.ErrorCode(err)), fv)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/teams/%d/pulse?done=round", ta.TeamID), http.StatusSeeOther)
}

// likertLabels name the points of the Likert scale.
var likertLabels = []string{"Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"}

// questionView is one item of the survey form.
type questionView struct {
	pulse.Item
	Choices []choice
}

type choice struct {
	Value   int
	Label   string
	Checked bool
}

func questions(sv pulse.Survey, a pulse.Answers) []questionView {
	out := make([]questionView, len(sv.Items))
	for i, it := range sv.Items {
		q := questionView{Item: it}
		lo, hi := it.Kind.Range()
		for v := lo; v <= hi; v++ {
			label := strconv.Itoa(v)
			if it.Kind == pulse.KindLikert {
				label = likertLabels[v-lo]
			}
			got, ok := a[it.Key]
			q.Choices = append(q.Choices, choice{Value: v, Label: label, Checked: ok && got == v})
		}
		out[i] = q
	}
	return out
}

func (s *Server) uiRound(w http.ResponseWriter, r *http.Request) {
	s.renderRound(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, a pulse.Answers, formErr string) {
	rd, err := s.teamRound(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	sv, err := s.db.Survey(r.Context(), rd.SurveyID)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	memberID, err := s.db.MemberIDByEmail(r.Context(), rd.TeamID, u.Email)
	if err != nil && rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		s.uiFail(w, r, err)
		return
	}
	answered := false
	if memberID != 0 {
		if answered, err = s.db.HasAnswered(r.Context(), rd.ID, memberID); err != nil {
			s.uiFail(w, r, err)
			return
		}
	}
	data := map[string]any{
		"Round": rd, "Survey": sv, "Status": rd.Status(s.now()), "OnRoster": memberID != 0, "Answered": answered,
		"Questions": questions(sv, a), "Error": formErr, "Lead": isLead(r), "Notice": noticeOf(r),
	}
	if isLead(r) {
		res, _, err := s.db.RoundResults(r.Context(), rd.ID, s.now())
		if err != nil {
			s.uiFail(w, r, err)
			return
		}
		data["Results"] = res
		data["Charts"] = resultCharts(res)
	}
	s.render(w, r, status, "pulse_round", fmt.Sprintf("%s · round %d", sv.Title, rd.ID), data)
}

// resultCharts draws each unsuppressed item's distribution.
func resultCharts(res pulse.Results) map[string]template.HTML {
	out := map[string]template.HTML{}
	for _, it := range res.Items {
		if it.Suppressed {
			continue
		}
		labels := make([]string, len(it.Counts))
		for i := range it.Counts {
			labels[i] = strconv.Itoa(it.Lo + i)
		}
		out[it.Key] = report.Bars(it.Text, labels, it.Counts)
	}
	return out
}

func (s *Server) uiSubmitAnswers(w http.ResponseWriter, r *http.Request) {
	rd, err := s.teamRound(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	sv, err := s.db.Survey(r.Context(), rd.SurveyID)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	a := pulse.Answers{}
	var missing []string
	for _, it := range sv.Items {
		v := strings.TrimSpace(r.PostFormValue(it.Key))
		if v == "" {
			missing = append(missing, it.Key)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			s.renderRound(w, r, http.StatusBadRequest, a, fmt.Sprintf("%s: %q is not a whole number", it.Key, v))
			return
		}
		a[it.Key] = n
	}
	if len(missing) > 0 {
		s.renderRound(w, r, http.StatusBadRequest, a, fmt.Sprintf("%s: please answer every question", strings.Join(missing, ", ")))
		return
	}
	if err := s.submitAnswers(r, rd, a); err != nil {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.renderRound(w, r, ErrorStatus(rhythm.ErrorCode(err)), a, rhythm.ErrorMessage(err))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/teams/%d/pulse/%d?done=answered", rd.TeamID, rd.ID), http.StatusSeeOther)
}

func (s *Server) uiCorrelations(w http.ResponseWriter, r *http.Request) {
	rep, err := s.correlationReport(r)
	var body template.HTML
	if err == nil {
		body, err = report.CorrelationHTML(rep)
	}
	if err != nil && rhythm.ErrorCode(err) == rhythm.EINTERNAL {
		s.uiFail(w, r, err)
		return
	}
	msg := ""
	if err != nil {
		msg = rhythm.ErrorMessage(err)
	}
	s.render(w, r, http.StatusOK, "correlations", "Correlations", map[string]any{"Body": body, "Error": msg})
}

// serveReportCSS serves the styles of report fragments.
func serveReportCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(report.CSS))
}
