package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// threadView is a thread with what follows from it at the time of the
// request: who owes what, whether it is overdue, the due-by on each
// person's clock.
type threadView struct {
	thread.Thread
	Pending   []string          `json:"pending"`
	Owed      []thread.Debt     `json:"owed"`
	Overdue   bool              `json:"overdue"`
	LocalDues []thread.LocalDue `json:"local_due_by"`
}

func viewThread(th thread.Thread, t *team.Team, now time.Time) threadView {
	v := threadView{Thread: th, Pending: th.Pending(), Owed: th.Owed(now), Overdue: th.Overdue(now), LocalDues: th.LocalDues(t)}
	if v.Pending == nil {
		v.Pending = []string{}
	}
	if v.Owed == nil {
		v.Owed = []thread.Debt{}
	}
	return v
}

// pathTeam returns the team of the path with its roster; the route's guard
// has checked access already.
func (s *Server) pathTeam(r *http.Request) (team.Team, error) {
	ta, ok := teamAccess(r)
	if !ok {
		return s.db.Team(r.Context(), r.PathValue("team"))
	}
	return s.db.Team(r.Context(), strconv.FormatInt(ta.TeamID, 10))
}

// threadFilter reads ?state= and ?member= of a thread list.
func threadFilter(r *http.Request) (store.ThreadFilter, error) {
	var f store.ThreadFilter
	q := r.URL.Query()
	switch st := q.Get("state"); st {
	case "", "all":
		if st == "" {
			f.State = thread.Open
		}
	default:
		s, err := thread.ParseState(st)
		if err != nil {
			return f, rhythm.Errorf(rhythm.EINVALID, "state: %v (or all)", err)
		}
		f.State = s
	}
	f.Member = strings.TrimSpace(q.Get("member"))
	return f, nil
}

func (s *Server) apiListThreads(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := threadFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ths, err := s.db.Threads(r.Context(), t.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	out := make([]threadView, len(ths))
	for i, th := range ths {
		out[i] = viewThread(th, &t, now)
	}
	s.json(w, http.StatusOK, map[string]any{"threads": out})
}

func (s *Server) apiCreateThread(w http.ResponseWriter, r *http.Request) {
	var n thread.NewThread
	if err := s.decodeJSON(w, r, &n); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	now := s.now()
	th, err := n.Validate(&t, u.Email, now)
	if err == nil {
		th, err = s.db.CreateThread(r.Context(), th)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, viewThread(th, &t, now))
}

func (s *Server) apiGetThread(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "thread")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := s.db.Thread(r.Context(), t.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, viewThread(th, &t, s.now()))
}

// responseBody is the JSON body of a response.
type responseBody struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

// respond records the signed-in user's response to thread id of the path's
// team.
func (s *Server) respond(r *http.Request, kindText, note string) (thread.Thread, team.Team, error) {
	id, err := pathID(r, "thread")
	if err != nil {
		return thread.Thread{}, team.Team{}, err
	}
	kind := thread.Answer
	if strings.TrimSpace(kindText) != "" {
		if kind, err = thread.ParseKind(kindText); err != nil {
			return thread.Thread{}, team.Team{}, rhythm.Errorf(rhythm.EINVALID, "kind: %v", err)
		}
	}
	t, err := s.pathTeam(r)
	if err != nil {
		return thread.Thread{}, t, err
	}
	u, _ := currentUser(r)
	now := s.now()
	th, err := s.db.AddResponse(r.Context(), t.ID, id, func(th *thread.Thread) (thread.Response, error) {
		return thread.NewResponse(th, &t, u.Email, kind, note, now)
	})
	return th, t, err
}

func (s *Server) apiRespond(w http.ResponseWriter, r *http.Request) {
	var b responseBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	th, t, err := s.respond(r, b.Kind, b.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, viewThread(th, &t, s.now()))
}

// mayClose allows a thread's owner, the team's leads and admins to close it.
func mayClose(r *http.Request) func(*thread.Thread) error {
	u, _ := currentUser(r)
	ta, _ := teamAccess(r)
	return func(th *thread.Thread) error {
		if u.Role == account.Admin || ta.IsLead || strings.EqualFold(th.Owner, u.Email) {
			return nil
		}
		return rhythm.Errorf(rhythm.EFORBIDDEN, "only the thread's owner (%s) or a lead of the team may close it", th.Owner)
	}
}

func (s *Server) closeThread(r *http.Request) (thread.Thread, team.Team, error) {
	id, err := pathID(r, "thread")
	if err != nil {
		return thread.Thread{}, team.Team{}, err
	}
	t, err := s.pathTeam(r)
	if err != nil {
		return thread.Thread{}, t, err
	}
	th, err := s.db.CloseThread(r.Context(), t.ID, id, s.now(), mayClose(r))
	return th, t, err
}

func (s *Server) apiCloseThread(w http.ResponseWriter, r *http.Request) {
	th, t, err := s.closeThread(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, viewThread(th, &t, s.now()))
}

// waitingItem is one thing a member owes, with its thread.
type waitingItem struct {
	thread.Debt
	ThreadID int64  `json:"thread_id"`
	TeamID   int64  `json:"team_id"`
	Team     string `json:"team"`
	Title    string `json:"title"`
	Link     string `json:"link,omitempty"`
}

// waitingOn lists what the member owes on the open threads of t, overdue
// first, then soonest due.
func (s *Server) waitingOn(r *http.Request, t *team.Team, email string) ([]waitingItem, error) {
	ths, err := s.db.Threads(r.Context(), t.ID, store.ThreadFilter{State: thread.Open, Member: email})
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := []waitingItem{}
	for _, th := range ths {
		if d, ok := th.Owes(email, now); ok {
			out = append(out, waitingItem{Debt: d, ThreadID: th.ID, TeamID: t.ID, Team: t.Name, Title: th.Title, Link: th.Link})
		}
	}
	return out, nil
}

func (s *Server) apiWaiting(w http.ResponseWriter, r *http.Request) {
	t, err := s.pathTeam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	email := u.Email
	if m := strings.TrimSpace(r.URL.Query().Get("member")); m != "" {
		mb, err := t.Resolve(m)
		if err != nil {
			s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "member: %s", rhythm.ErrorMessage(err)))
			return
		}
		email = mb.Email
	}
	items, err := s.waitingOn(r, &t, email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"member": email, "waiting": items})
}

// decisionQuery reads ?q=, ?from=, ?to=, ?thread= and ?limit=.
func decisionQuery(r *http.Request) (thread.Query, error) {
	v := r.URL.Query()
	q := thread.Query{Text: strings.TrimSpace(v.Get("q"))}
	var err error
	if s := v.Get("from"); s != "" {
		if q.From, err = team.ParseDate(s); err != nil {
			return q, rhythm.Errorf(rhythm.EINVALID, "from: %v", err)
		}
	}
	if s := v.Get("to"); s != "" {
		if q.To, err = team.ParseDate(s); err != nil {
			return q, rhythm.Errorf(rhythm.EINVALID, "to: %v", err)
		}
	}
	if s := v.Get("thread"); s != "" {
		if q.ThreadID, err = strconv.ParseInt(s, 10, 64); err != nil || q.ThreadID <= 0 {
			return q, rhythm.Errorf(rhythm.EINVALID, "thread: %q is not a thread id", s)
		}
	}
	if s := v.Get("limit"); s != "" {
		if q.Limit, err = strconv.Atoi(s); err != nil || q.Limit <= 0 {
			return q, rhythm.Errorf(rhythm.EINVALID, "limit: %q is not a positive number", s)
		}
	}
	return q, thread.CheckQuery(q)
}

func (s *Server) apiListDecisions(w http.ResponseWriter, r *http.Request) {
	q, err := decisionQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ta, _ := teamAccess(r)
	ds, err := s.db.Decisions(r.Context(), ta.TeamID, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"decisions": ds})
}

func (s *Server) recordDecision(r *http.Request, n thread.NewDecision) (thread.Decision, error) {
	t, err := s.pathTeam(r)
	if err != nil {
		return thread.Decision{}, err
	}
	u, _ := currentUser(r)
	d, err := n.Validate(&t, u.Email, s.now())
	if err != nil {
		return d, err
	}
	if n.Close {
		th, err := s.db.Thread(r.Context(), t.ID, n.ThreadID)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return d, rhythm.Errorf(rhythm.EINVALID, "thread_id: thread %d is not a thread of this team", n.ThreadID)
		} else if err != nil {
			return d, err
		}
		if err := mayClose(r)(&th); err != nil {
			return d, err
		}
	}
	return s.db.CreateDecision(r.Context(), d, n.Close)
}

func (s *Server) apiCreateDecision(w http.ResponseWriter, r *http.Request) {
	var n thread.NewDecision
	if err := s.decodeJSON(w, r, &n); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.recordDecision(r, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusCreated, d)
}

func (s *Server) apiGetDecision(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "decision")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ta, _ := teamAccess(r)
	d, err := s.db.Decision(r.Context(), ta.TeamID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, d)
}
