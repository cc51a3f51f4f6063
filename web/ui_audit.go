package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/audit"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// auditView is the team's audit page: the latest saved audit's group
// report, and for leads the form that runs a new one.
type auditView struct {
	Team   team.Team
	Info   *store.AuditInfo
	View   *report.AuditView
	CanRun bool
	// Form holds the run form's fields: from, to, compare_from, compare_to.
	Form  map[string]string
	Error string
}

func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) {
	s.auditPage(w, r, http.StatusOK, nil, "")
}

// auditPage renders the audit page with form values and an error message.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errMsg string) {
	ctx := r.Context()
	t, err := s.app.Team(ctx, s.actor(r), r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := auditView{Team: t.Team, CanRun: s.actor(r).Admin() || t.Access.IsLead, Form: form, Error: errMsg}
	info, rep, err := s.app.LatestAudit(ctx, s.actor(r), r.PathValue("team"))
	switch rhythm.ErrorCode(err) {
	case "":
		v.Info = &info
		v.View = report.NewAuditView(&rep)
	case rhythm.ENOTFOUND:
	default:
		s.uiFail(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = defaultAuditForm(s.now(), v.Info)
	}
	s.render(w, r, status, "audit", "Audit · "+t.Name, v)
}

// defaultAuditForm proposes the window of the last audit, or the thirteen
// full weeks before today.
func defaultAuditForm(now time.Time, last *store.AuditInfo) map[string]string {
	if last != nil {
		return map[string]string{"from": last.Window.From.String(), "to": last.Window.To.String()}
	}
	today := now.UTC().Truncate(24 * time.Hour)
	end := today.AddDate(0, 0, -int(today.Weekday())) // last Sunday
	if today.Weekday() == time.Sunday {
		end = today.AddDate(0, 0, -7)
	}
	start := end.AddDate(0, 0, -7*13+1)
	return map[string]string{"from": start.Format(time.DateOnly), "to": end.Format(time.DateOnly)}
}

// uiRunAudit audits the team's stored imports over the form's period,
// saves the result and shows it.
func (s *Server) uiRunAudit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.auditPage(w, r, http.StatusBadRequest, nil, "reading the form: "+err.Error())
		return
	}
	form := map[string]string{}
	for _, k := range []string{"from", "to", "compare_from", "compare_to"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	cfg, err := auditConfig(form)
	if err == nil {
		_, err = s.app.RunStoredAudit(r.Context(), s.actor(r), r.PathValue("team"), cfg)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) { s.auditPage(w, r, status, form, msg) })
		return
	}
	http.Redirect(w, r, "/teams/"+r.PathValue("team")+"/audit", http.StatusSeeOther)
}

// auditConfig reads the period fields of the run form.
func auditConfig(form map[string]string) (audit.Config, error) {
	var cfg audit.Config
	for _, f := range []struct {
		key, label string
		dst        *team.Date
	}{{"from", "From", &cfg.Window.From}, {"to", "To", &cfg.Window.To}, {"compare_from", "Compare from", &cfg.Compare.From}, {"compare_to", "Compare to", &cfg.Compare.To}} {
		if form[f.key] == "" {
			continue
		}
		d, err := team.ParseDate(form[f.key])
		if err != nil {
			return cfg, rhythm.Errorf(rhythm.EINVALID, "%s: %v", f.label, err)
		}
		*f.dst = d
	}
	if cfg.Compare.From.IsZero() != cfg.Compare.To.IsZero() {
		return cfg, rhythm.Errorf(rhythm.EINVALID, "Compare from and Compare to go together")
	}
	return cfg, nil
}

// myWeek is one team's part of the "my week" page.
type myWeek struct {
	store.PersonAudit
	// Latest is the last week with working time; Team holds the team's
	// group figures for comparison, when the team's report shows them.
	Latest *audit.Week
	Team   *audit.Figures
	Charts report.AuditCharts
}

func (s *Server) myWeeks(r *http.Request) ([]myWeek, error) {
	mine, err := s.app.MyAudits(r.Context(), s.actor(r))
	if err != nil {
		return nil, err
	}
	out := make([]myWeek, 0, len(mine))
	for _, ma := range mine {
		mw := myWeek{PersonAudit: ma.PersonAudit, Team: ma.Team, Charts: report.PersonCharts(&ma.Person)}
		for i := len(ma.Person.Weeks) - 1; i >= 0; i-- {
			if ma.Person.Weeks[i].PersonWeeks > 0 {
				mw.Latest = &ma.Person.Weeks[i]
				break
			}
		}
		out = append(out, mw)
	}
	return out, nil
}

// uiMyWeek shows the signed-in person their own figures: nobody else's.
func (s *Server) uiMyWeek(w http.ResponseWriter, r *http.Request) {
	weeks, err := s.myWeeks(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "myweek", "My week", weeks)
}
