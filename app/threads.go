package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

// ThreadView is a thread with what follows from it at a moment: who owes
// what, whether it is overdue, the due-by on each person's clock.
type ThreadView struct {
	thread.Thread
	Pending   []string          `json:"pending"`
	Owed      []thread.Debt     `json:"owed"`
	Overdue   bool              `json:"overdue"`
	LocalDues []thread.LocalDue `json:"local_due_by"`
}

// ViewThread is th as seen at now by team t.
func ViewThread(th thread.Thread, t *team.Team, now time.Time) ThreadView {
	v := ThreadView{Thread: th, Pending: th.Pending(), Owed: th.Owed(now), Overdue: th.Overdue(now), LocalDues: th.LocalDues(t)}
	if v.Pending == nil {
		v.Pending = []string{}
	}
	if v.Owed == nil {
		v.Owed = []thread.Debt{}
	}
	return v
}

// TeamOf is a team as one actor may see it: its roster and the actor's
// relation to it.
type TeamOf struct {
	team.Team
	Access store.TeamAccess
}

// teamFor authorizes who for need on the team of teamRef and reads it.
func (a *App) teamFor(ctx context.Context, who Actor, need Access, teamRef string) (TeamOf, error) {
	ta, err := a.Authorize(ctx, who, need, teamRef)
	if err != nil {
		return TeamOf{}, err
	}
	t, err := a.db.Team(ctx, strconv.FormatInt(ta.TeamID, 10))
	return TeamOf{Team: t, Access: ta}, err
}

// Team returns a team with its roster, for its members, leads and admins.
func (a *App) Team(ctx context.Context, who Actor, teamRef string) (TeamOf, error) {
	return a.teamFor(ctx, who, TeamMember, teamRef)
}

// Threads lists a team's threads that match f, soonest due first.
func (a *App) Threads(ctx context.Context, who Actor, teamRef string, f store.ThreadFilter) (TeamOf, []ThreadView, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	ths, err := a.db.Threads(ctx, t.ID, f)
	if err != nil {
		return t, nil, err
	}
	now := a.now()
	out := make([]ThreadView, len(ths))
	for i, th := range ths {
		out[i] = ViewThread(th, &t.Team, now)
	}
	return t, out, nil
}

// CreateThread opens a thread on a team; who is recorded as its creator.
func (a *App) CreateThread(ctx context.Context, who Actor, teamRef string, n thread.NewThread) (ThreadView, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return ThreadView{}, err
	}
	now := a.now()
	th, err := n.Validate(&t.Team, who.Email, now)
	if err == nil {
		th, err = a.db.CreateThread(ctx, th)
	}
	if err != nil {
		return ThreadView{}, err
	}
	return ViewThread(th, &t.Team, now), nil
}

// Thread returns one thread of a team with the decisions recorded on it.
func (a *App) Thread(ctx context.Context, who Actor, teamRef string, id int64) (TeamOf, ThreadView, []thread.Decision, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, ThreadView{}, nil, err
	}
	th, err := a.db.Thread(ctx, t.ID, id)
	if err != nil {
		return t, ThreadView{}, nil, err
	}
	ds, err := a.db.Decisions(ctx, t.ID, thread.Query{ThreadID: th.ID})
	return t, ViewThread(th, &t.Team, a.now()), ds, err
}

// Respond records who's response to a thread: kind is "answer" (when
// empty) or "ack".
func (a *App) Respond(ctx context.Context, who Actor, teamRef string, id int64, kindText, note string) (ThreadView, error) {
	kind := thread.Answer
	if strings.TrimSpace(kindText) != "" {
		var err error
		if kind, err = thread.ParseKind(kindText); err != nil {
			return ThreadView{}, rhythm.Errorf(rhythm.EINVALID, "kind: %v", err)
		}
	}
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return ThreadView{}, err
	}
	now := a.now()
	th, err := a.db.AddResponse(ctx, t.ID, id, func(th *thread.Thread) (thread.Response, error) {
		return thread.NewResponse(th, &t.Team, who.Email, kind, note, now)
	})
	if err != nil {
		return ThreadView{}, err
	}
	return ViewThread(th, &t.Team, now), nil
}

// MayClose says whether who, with access ta to its team, may close th:
// its owner, the team's leads and admins may.
func MayClose(who Actor, ta store.TeamAccess, th *thread.Thread) error {
	if who.Admin() || ta.IsLead || strings.EqualFold(th.Owner, who.Email) {
		return nil
	}
	return rhythm.Errorf(rhythm.EFORBIDDEN, "only the thread's owner (%s) or a lead of the team may close it", th.Owner)
}

// CloseThread closes a thread: its owner, the team's leads or an admin.
func (a *App) CloseThread(ctx context.Context, who Actor, teamRef string, id int64) (ThreadView, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return ThreadView{}, err
	}
	now := a.now()
	th, err := a.db.CloseThread(ctx, t.ID, id, now, func(th *thread.Thread) error { return MayClose(who, t.Access, th) })
	if err != nil {
		return ThreadView{}, err
	}
	return ViewThread(th, &t.Team, now), nil
}

// WaitingItem is one thing a member owes, with its thread.
type WaitingItem struct {
	thread.Debt
	ThreadID int64  `json:"thread_id"`
	TeamID   int64  `json:"team_id"`
	Team     string `json:"team"`
	Title    string `json:"title"`
	Link     string `json:"link,omitempty"`
}

// Waiting lists what member (who, when empty) owes on the team's open
// threads, overdue first, then soonest due. It returns the member's email.
func (a *App) Waiting(ctx context.Context, who Actor, teamRef, member string) (string, []WaitingItem, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return "", nil, err
	}
	email := who.Email
	if m := strings.TrimSpace(member); m != "" {
		mb, err := t.Resolve(m)
		if err != nil {
			return "", nil, rhythm.Errorf(rhythm.EINVALID, "member: %s", rhythm.ErrorMessage(err))
		}
		email = mb.Email
	}
	items, err := a.waitingOn(ctx, &t.Team, email)
	return email, items, err
}

func (a *App) waitingOn(ctx context.Context, t *team.Team, email string) ([]WaitingItem, error) {
	ths, err := a.db.Threads(ctx, t.ID, store.ThreadFilter{State: thread.Open, Member: email})
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := []WaitingItem{}
	for _, th := range ths {
		if d, ok := th.Owes(email, now); ok {
			out = append(out, WaitingItem{Debt: d, ThreadID: th.ID, TeamID: t.ID, Team: t.Name, Title: th.Title, Link: th.Link})
		}
	}
	return out, nil
}

// TeamWaiting is what the actor owes in one team.
type TeamWaiting struct {
	Team  TeamOf
	Items []WaitingItem
}

// WaitingOnMe lists, for every team whose roster has who, what they owe.
func (a *App) WaitingOnMe(ctx context.Context, who Actor) ([]TeamWaiting, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	teams, err := a.db.TeamsOf(ctx, who.User)
	if err != nil {
		return nil, err
	}
	var out []TeamWaiting
	for _, ts := range teams {
		t, err := a.teamFor(ctx, who, TeamMember, strconv.FormatInt(ts.ID, 10))
		if err != nil {
			return nil, err
		}
		if _, ok := t.Member(who.Email); !ok {
			continue
		}
		items, err := a.waitingOn(ctx, &t.Team, who.Email)
		if err != nil {
			return nil, err
		}
		out = append(out, TeamWaiting{Team: t, Items: items})
	}
	return out, nil
}

// Decisions returns a team's decisions matching q, newest first.
func (a *App) Decisions(ctx context.Context, who Actor, teamRef string, q thread.Query) (TeamOf, []thread.Decision, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	ds, err := a.db.Decisions(ctx, t.ID, q)
	return t, ds, err
}

// Decision returns one decision of a team.
func (a *App) Decision(ctx context.Context, who Actor, teamRef string, id int64) (thread.Decision, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return thread.Decision{}, err
	}
	return a.db.Decision(ctx, ta.TeamID, id)
}

// RecordDecision adds a decision to a team's log; with n.Close it also
// closes the thread it settles, which only who may close may do.
func (a *App) RecordDecision(ctx context.Context, who Actor, teamRef string, n thread.NewDecision) (thread.Decision, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return thread.Decision{}, err
	}
	d, err := n.Validate(&t.Team, who.Email, a.now())
	if err != nil {
		return d, err
	}
	if n.Close {
		th, err := a.db.Thread(ctx, t.ID, n.ThreadID)
		if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
			return d, rhythm.Errorf(rhythm.EINVALID, "thread_id: thread %d is not a thread of this team", n.ThreadID)
		} else if err != nil {
			return d, err
		}
		if err := MayClose(who, t.Access, &th); err != nil {
			return d, err
		}
	}
	return a.db.CreateDecision(ctx, d, n.Close)
}
