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
	"github.com/rhythm-team/rhythm/app"
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
	ctx, who, ref := r.Context(), s.actor(r), r.PathValue("team")
	rounds, err := s.app.Rounds(ctx, who, ref)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	surveys, err := s.app.Surveys(ctx, who)
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
		if churn, err = s.app.Churn(ctx, who, ref, from, today); err != nil {
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
	in := app.RoundInput{SurveyID: surveyID, Opens: r.PostFormValue("opens"), Closes: r.PostFormValue("closes"), Zone: s.zone(r).Location()}
	if _, err := s.app.CreateRound(r.Context(), s.actor(r), r.PathValue("team"), in); err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			fv.Error = msg
			s.renderPulse(w, r, status, fv)
		})
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

// pathRound is the round of the path as the requester sees it.
func (s *Server) pathRound(r *http.Request) (app.RoundPage, error) {
	id, err := pathID(r, "survey round")
	if err != nil {
		return app.RoundPage{}, err
	}
	return s.app.Round(r.Context(), s.actor(r), r.PathValue("team"), id)
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, a pulse.Answers, formErr string) {
	p, err := s.pathRound(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	data := map[string]any{
		"Round": p.Round, "Survey": p.Survey, "Status": p.Status, "OnRoster": p.OnRoster, "Answered": p.Answered,
		"Questions": questions(p.Survey, a), "Error": formErr, "Lead": p.Lead, "Notice": noticeOf(r),
	}
	if p.Results != nil {
		data["Results"] = *p.Results
		data["Charts"] = resultCharts(*p.Results)
	}
	s.render(w, r, status, "pulse_round", fmt.Sprintf("%s · round %d", p.Survey.Title, p.Round.ID), data)
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
	p, err := s.pathRound(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	a := pulse.Answers{}
	var missing []string
	for _, it := range p.Survey.Items {
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
	rd, err := s.app.SubmitAnswers(r.Context(), s.actor(r), r.PathValue("team"), p.Round.ID, a)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) { s.renderRound(w, r, status, a, msg) })
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
