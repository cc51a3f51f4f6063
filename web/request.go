package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// Reading a request, shared by the API and the pages: who acts, and the
// path and query values both surfaces take.

// actor is who makes the request, for the application layer.
func (s *Server) actor(r *http.Request) app.Actor {
	if u, ok := currentUser(r); ok {
		return app.As(u)
	}
	return app.Anonymous()
}

// pathTeam returns the team of the path with its roster, as the requester
// may see it.
func (s *Server) pathTeam(r *http.Request) (team.Team, error) {
	t, err := s.app.Team(r.Context(), s.actor(r), r.PathValue("team"))
	return t.Team, err
}

// pathID reads the {id} of the path; a malformed id is "not found".
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, rhythm.Errorf(rhythm.ENOTFOUND, "%s %q not found", what, r.PathValue("id"))
	}
	return id, nil
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

// correlationReport reads ?x=, ?y= and ?seed= and builds the correlation
// report from everything stored.
func (s *Server) correlationReport(r *http.Request) (pulse.CorrelationReport, error) {
	q := r.URL.Query()
	seed, _ := strconv.ParseUint(q.Get("seed"), 10, 64)
	return s.app.Correlations(r.Context(), s.actor(r), q["x"], q["y"], nil, stats.Options{Seed: seed})
}

// splitValues splits each of a query's values on commas, dropping empty
// parts: ?with=a,b&with=c is a, b, c.
func splitValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
