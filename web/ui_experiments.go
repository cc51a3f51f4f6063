package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/experiment"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

func (s *Server) uiExperiments(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.Experiments(r.Context(), s.actor(r))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	today := team.DateOf(s.now().UTC())
	rows := make([]experimentRow, len(list))
	for i, e := range list {
		rows[i] = experimentRow{ExperimentSummary: e, Status: summaryStatus(e, today)}
	}
	s.render(w, r, http.StatusOK, "experiments", "Experiments", map[string]any{
		"Experiments": rows, "CanCreate": u.Role == account.Admin || len(u.LeadOf) > 0,
	})
}

// experimentRow is an experiment as the list shows it.
type experimentRow struct {
	store.ExperimentSummary
	Status experiment.Status
}

// summaryStatus is where a listed experiment stands on day today.
func summaryStatus(e store.ExperimentSummary, today team.Date) experiment.Status {
	x := experiment.Experiment{Baseline: e.Baseline, Treatment: e.Treatment}
	if e.Assigned {
		x.Assignments = []experiment.Assignment{{Unit: "assigned"}}
	}
	return x.Status(today)
}

// experimentForm holds what was typed into the new-experiment form.
type experimentForm struct {
	formView
	Teams    []store.TeamSummary
	Selected map[string]bool
	// ErrorField is the field Error names, next to which it is shown;
	// empty when it names none of the form's fields (it is shown on top).
	ErrorField string
}

// experimentFormFields are the fields of the form as errors name them
// ("teams[1]: …" is about teams).
var experimentFormFields = []string{"name", "teams", "units", "stratify", "arms", "baseline", "treatment", "outcomes", "seed"}

// errorField returns the field of fields that an error message starts
// with, or "".
func errorField(msg string, fields []string) string {
	field, _, ok := strings.Cut(msg, ": ")
	field, _, _ = strings.Cut(field, "[")
	if !ok || !slices.Contains(fields, field) {
		return ""
	}
	return field
}

// fieldError is the error shown next to one field, and its element id.
type fieldError struct{ ID, Msg string }

// FieldError returns the error to show next to field: empty unless the
// error names it.
func (f experimentForm) FieldError(field string) fieldError {
	fe := fieldError{ID: field + "-error"}
	if f.ErrorField == field {
		fe.Msg = f.Error
	}
	return fe
}

// Invalid marks the element of field invalid and described by its error
// when the error names it.
func (f experimentForm) Invalid(field string) template.HTMLAttr {
	if f.ErrorField != field {
		return ""
	}
	return template.HTMLAttr(fmt.Sprintf(`aria-invalid="true" aria-describedby="%s-error"`, field))
}

func (s *Server) uiNewExperiment(w http.ResponseWriter, r *http.Request) {
	var arms []string
	for _, a := range app.DefaultArms {
		arms = append(arms, a.Name+": "+a.Description)
	}
	s.renderExperimentForm(w, r, http.StatusOK, experimentForm{
		formView: formView{Fields: map[string]string{"arms": strings.Join(arms, "\n"), "outcomes": "meeting_hours, enps", "units": "team", "stratify": "size"}},
	})
}

func (s *Server) renderExperimentForm(w http.ResponseWriter, r *http.Request, status int, f experimentForm) {
	teams, err := s.app.LedTeams(r.Context(), s.actor(r))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	f.Teams = teams
	s.render(w, r, status, "experiment_new", "New experiment", f)
}

// splitList splits on commas and new lines, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) uiCreateExperiment(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	r.ParseForm()
	f := experimentForm{formView: formView{Fields: map[string]string{}}, Selected: map[string]bool{}}
	for _, k := range []string{"name", "hypothesis", "units", "arms", "baseline_start", "baseline_end", "treatment_start", "treatment_end", "outcomes", "seed", "stratify"} {
		f.Fields[k] = r.PostFormValue(k)
	}
	req := app.ExperimentInput{
		Name: f.Fields["name"], Hypothesis: f.Fields["hypothesis"], Units: f.Fields["units"], Stratify: f.Fields["stratify"],
		Teams:     r.PostForm["team"],
		Baseline:  f.Fields["baseline_start"] + "/" + f.Fields["baseline_end"],
		Treatment: f.Fields["treatment_start"] + "/" + f.Fields["treatment_end"],
		Outcomes:  splitList(f.Fields["outcomes"]),
	}
	for _, t := range req.Teams {
		f.Selected[t] = true
	}
	for line := range strings.SplitSeq(f.Fields["arms"], "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, desc, _ := strings.Cut(line, ":")
		req.Arms = append(req.Arms, experiment.Arm{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)})
	}
	var err error
	if v := strings.TrimSpace(f.Fields["seed"]); v != "" {
		seed, perr := strconv.ParseUint(v, 10, 64)
		if perr != nil {
			err = rhythm.Errorf(rhythm.EINVALID, "seed: %q is not a whole number", v)
		}
		req.Seed = &seed
	}
	var e experiment.Experiment
	if err == nil {
		e, err = s.app.CreateExperiment(r.Context(), s.actor(r), req)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			f.Error, f.ErrorField = msg, errorField(msg, experimentFormFields)
			s.renderExperimentForm(w, r, status, f)
		})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experiments/%d", e.ID), http.StatusSeeOther)
}

func (s *Server) uiExperiment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	e, manage, err := s.app.Experiment(r.Context(), s.actor(r), id)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "experiment", e.Name, map[string]any{
		"E": e, "Manage": manage, "Status": s.app.ExperimentStatus(e), "Power": experiment.Power(e, nil),
	})
}

func (s *Server) uiAssignExperiment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err == nil {
		_, err = s.app.AssignExperiment(r.Context(), s.actor(r), id, "", nil)
	}
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experiments/%d", id), http.StatusSeeOther)
}

func (s *Server) uiExperimentReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "experiment")
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	e, rep, err := s.app.ExperimentReport(r.Context(), s.actor(r), id, nil, 0)
	var body template.HTML
	if err == nil {
		body, err = report.ExperimentHTML(rep)
	}
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "experiment_report", "Report · "+e.Name, map[string]any{"E": e, "Body": body})
}
