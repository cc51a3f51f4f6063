package web

import (
	"github.com/rhythm-team/rhythm/app"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// teamView is what every page about one team shows around its content.
type teamView struct {
	formView
	Team  team.Team
	Names map[string]string // email (lower case) → name
	// Me is the signed-in user's roster entry; nil when not on the roster.
	Me *team.Member
	// Zone is where times on the page are read and shown: the user's
	// (app.ZoneOf).
	Zone    string
	zone    *time.Location
	CanLead bool
}

func (s *Server) teamView(r *http.Request, t team.Team) teamView {
	z := s.zone(r)
	v := teamView{Team: t, Names: map[string]string{}, Zone: z.Name, zone: z.Location()}
	for _, m := range t.Members {
		v.Names[strings.ToLower(m.Email)] = m.Name
	}
	u, _ := currentUser(r)
	if m, ok := t.Member(u.Email); ok {
		v.Me = m
	}
	ta, _ := teamAccess(r)
	v.CanLead = u.Role == account.Admin || ta.IsLead
	return v
}

func (v teamView) loc() *time.Location {
	if v.zone == nil {
		return time.UTC
	}
	return v.zone
}

// Name returns the roster name of an email, or the email.
func (v teamView) Name(email string) string {
	if n, ok := v.Names[strings.ToLower(email)]; ok {
		return n
	}
	return email
}

// Local formats an instant on the page's clock, naming its zone.
func (v teamView) Local(t time.Time) string { return stamp(t, v.loc()) }

// threadsView is the team's thread list and the form that opens one.
type threadsView struct {
	teamView
	State   string
	Threads []app.ThreadView
}

func (s *Server) threadsPage(w http.ResponseWriter, r *http.Request, status int, v threadsView) {
	f, err := threadFilter(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v.State = string(f.State)
	if v.State == "" {
		v.State = "all"
	}
	if _, v.Threads, err = s.app.Threads(r.Context(), s.actor(r), r.PathValue("team"), f); err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, status, "threads", "Threads · "+v.Team.Name, v)
}

func (s *Server) uiThreads(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := threadsView{teamView: s.teamView(r, t)}
	v.Fields = map[string]string{}
	if v.Me != nil {
		v.Fields["owner"] = v.Me.Email
	}
	s.threadsPage(w, r, http.StatusOK, v)
}

func (s *Server) uiCreateThread(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := threadsView{teamView: s.teamView(r, t)}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.uiFail(w, r, rhythm.Errorf(rhythm.EINVALID, "reading the form: %v", err))
		return
	}
	v.Fields = map[string]string{"title": r.PostFormValue("title"), "link": r.PostFormValue("link"), "owner": r.PostFormValue("owner"),
		"due_by": r.PostFormValue("due_by"), "participants": strings.Join(r.PostForm["participants"], ",")}
	n := thread.NewThread{Title: r.PostFormValue("title"), Link: r.PostFormValue("link"), Owner: r.PostFormValue("owner"), Participants: r.PostForm["participants"]}
	n.DueBy, err = typedDue("due_by", r.PostFormValue("due_by"), v.loc())
	var th app.ThreadView
	if err == nil {
		th, err = s.app.CreateThread(r.Context(), s.actor(r), r.PathValue("team"), n)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			v.Error = msg
			s.threadsPage(w, r, status, v)
		})
		return
	}
	http.Redirect(w, r, threadURL(t.ID, th.ID), http.StatusSeeOther)
}

func threadURL(teamID, id int64) string {
	return "/teams/" + strconv.FormatInt(teamID, 10) + "/threads/" + strconv.FormatInt(id, 10)
}

// threadPage is one thread: its responses, the answer form, closing and
// recording its decision.
type threadPage struct {
	teamView
	Thread     app.ThreadView
	Decisions  []thread.Decision
	CanRespond bool
	CanClose   bool
	Responded  bool
}

func (s *Server) showThread(w http.ResponseWriter, r *http.Request, status int, fv formView) {
	id, err := pathID(r, "thread")
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	who := s.actor(r)
	t, th, ds, err := s.app.Thread(r.Context(), who, r.PathValue("team"), id)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := threadPage{teamView: s.teamView(r, t.Team), Thread: th, Decisions: ds}
	v.formView = fv
	if v.Fields == nil {
		v.Fields = map[string]string{"owner": th.Owner}
	}
	v.CanRespond = v.Me != nil && th.State == thread.Open
	v.Responded = v.Me != nil && th.Responded(v.Me.Email)
	v.CanClose = th.State == thread.Open && app.MayClose(who, t.Access, &th.Thread) == nil
	s.render(w, r, status, "thread", th.Title+" · "+t.Name, v)
}

func (s *Server) uiThread(w http.ResponseWriter, r *http.Request) {
	s.showThread(w, r, http.StatusOK, formView{})
}

// threadFormFail shows a thread again with the error of a form on it.
func (s *Server) threadFormFail(w http.ResponseWriter, r *http.Request, err error, fields map[string]string) {
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		s.uiFail(w, r, err)
		return
	}
	s.formFail(w, r, err, func(status int, msg string) {
		s.showThread(w, r, status, formView{Error: msg, Fields: fields})
	})
}

func (s *Server) uiRespond(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	id, err := pathID(r, "thread")
	var th app.ThreadView
	if err == nil {
		th, err = s.app.Respond(r.Context(), s.actor(r), r.PathValue("team"), id, r.PostFormValue("kind"), r.PostFormValue("note"))
	}
	if err != nil {
		s.threadFormFail(w, r, err, map[string]string{"note": r.PostFormValue("note")})
		return
	}
	http.Redirect(w, r, threadURL(th.TeamID, th.ID), http.StatusSeeOther)
}

func (s *Server) uiCloseThread(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "thread")
	var th app.ThreadView
	if err == nil {
		th, err = s.app.CloseThread(r.Context(), s.actor(r), r.PathValue("team"), id)
	}
	if err != nil {
		s.threadFormFail(w, r, err, nil)
		return
	}
	http.Redirect(w, r, threadURL(th.TeamID, th.ID), http.StatusSeeOther)
}

// decisionsView is the decision log with its search and the form that
// records one.
type decisionsView struct {
	teamView
	Query     string
	Decisions []thread.Decision
}

func (s *Server) decisionsPage(w http.ResponseWriter, r *http.Request, status int, v decisionsView) {
	q, err := decisionQuery(r)
	if err != nil {
		v.Error = rhythm.ErrorMessage(err)
		status = rhythm.HTTPStatus(rhythm.ErrorCode(err))
		q = thread.Query{}
	}
	v.Query = q.Text
	if _, v.Decisions, err = s.app.Decisions(r.Context(), s.actor(r), r.PathValue("team"), q); err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, status, "decisions", "Decision log · "+v.Team.Name, v)
}

func (s *Server) uiDecisions(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := decisionsView{teamView: s.teamView(r, t)}
	v.Fields = map[string]string{}
	if v.Me != nil {
		v.Fields["owner"] = v.Me.Email
	}
	s.decisionsPage(w, r, http.StatusOK, v)
}

// uiCreateDecision records a decision from the log page or a thread page
// (which sends thread_id) and shows the log.
func (s *Server) uiCreateDecision(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	fields := map[string]string{"what": r.PostFormValue("what"), "why": r.PostFormValue("why"), "owner": r.PostFormValue("owner"),
		"date": r.PostFormValue("date"), "meeting": r.PostFormValue("meeting"), "link": r.PostFormValue("link")}
	n := thread.NewDecision{What: fields["what"], Why: fields["why"], Owner: fields["owner"], Date: fields["date"],
		Meeting: fields["meeting"], Link: fields["link"], Close: r.PostFormValue("close") != ""}
	var err error
	if tid := r.PostFormValue("thread_id"); tid != "" {
		if n.ThreadID, err = strconv.ParseInt(tid, 10, 64); err != nil {
			err = rhythm.Errorf(rhythm.EINVALID, "thread_id: %q is not a thread id", tid)
		}
	}
	var d thread.Decision
	if err == nil {
		d, err = s.app.RecordDecision(r.Context(), s.actor(r), r.PathValue("team"), n)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string) {
			t, terr := s.pathTeam(r)
			if terr != nil {
				s.uiFail(w, r, terr)
				return
			}
			v := decisionsView{teamView: s.teamView(r, t)}
			v.Error, v.Fields = msg, fields
			s.decisionsPage(w, r, status, v)
		})
		return
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(d.TeamID, 10)+"/decisions#decision-"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
}

// waitingTeam is what the user owes in one team.
type waitingTeam struct {
	teamView
	Items []app.WaitingItem
}

// uiWaiting lists, for every team whose roster has the user, what they owe.
func (s *Server) uiWaiting(w http.ResponseWriter, r *http.Request) {
	teams, err := s.app.WaitingOnMe(r.Context(), s.actor(r))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	var out []waitingTeam
	for _, tw := range teams {
		out = append(out, waitingTeam{teamView: s.teamView(r, tw.Team.Team), Items: tw.Items})
	}
	s.render(w, r, http.StatusOK, "waiting", "Waiting on me", out)
}
