package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
	"github.com/rhythm-team/rhythm/stats"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// Surveys lists the stored surveys with their items.
func (a *App) Surveys(ctx context.Context, who Actor) ([]pulse.Survey, error) {
	if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
		return nil, err
	}
	return a.db.ListSurveys(ctx)
}

// CreateSurvey stores a survey; only admins make surveys.
func (a *App) CreateSurvey(ctx context.Context, who Actor, sv pulse.Survey) (pulse.Survey, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return sv, err
	}
	sv.ID = 0
	return a.db.CreateSurvey(ctx, sv)
}

// RoundView is a round as one person sees it in a list.
type RoundView struct {
	pulse.Round
	// Responses is the round's response count, for leads and admins only:
	// watching it rise as colleagues answer would tell members who did.
	Responses *int         `json:"responses,omitempty"`
	Status    pulse.Status `json:"status"`
	// Answered tells whether the actor has answered.
	Answered bool `json:"answered"`
	// OnRoster tells whether the actor may answer.
	OnRoster bool `json:"on_roster"`
}

// Rounds lists a team's survey rounds as who sees them.
func (a *App) Rounds(ctx context.Context, who Actor, teamRef string) ([]RoundView, error) {
	ta, err := a.Authorize(ctx, who, TeamMember, teamRef)
	if err != nil {
		return nil, err
	}
	rounds, err := a.db.ListRounds(ctx, strconv.FormatInt(ta.TeamID, 10))
	if err != nil {
		return nil, err
	}
	memberID, err := a.memberID(ctx, ta.TeamID, who)
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := make([]RoundView, len(rounds))
	for i, rd := range rounds {
		out[i] = RoundView{Round: rd, Status: rd.Status(now), OnRoster: memberID != 0}
		if who.Admin() || ta.IsLead {
			out[i].Responses = &rounds[i].Responses
		}
		if memberID != 0 {
			if out[i].Answered, err = a.db.HasAnswered(ctx, rd.ID, memberID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// memberID is the roster id of who in the team, 0 when who is not on it.
func (a *App) memberID(ctx context.Context, teamID int64, who Actor) (int64, error) {
	if who.User.Email == "" {
		return 0, nil
	}
	id, err := a.db.MemberIDByEmail(ctx, teamID, who.User.Email)
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return 0, nil
	}
	return id, err
}

// RoundInput schedules a round: dates (a closing date means the end of
// that day), wall times ("2026-04-01 09:00") or RFC 3339 times. Dates and
// wall times are read in Zone.
type RoundInput struct {
	SurveyID int64  `json:"survey_id"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
	// Imported makes a round that holds one file of answers from another
	// tool instead of collecting answers.
	Imported bool `json:"imported"`
	// Zone is the zone of the person who typed the times; nil means UTC.
	Zone *time.Location `json:"-"`
}

// ParseWhen reads a date, a wall time ("2026-04-01 09:00") or an RFC 3339
// time for the named field. A date is midnight in loc (nil: UTC), or with
// endOfDay the midnight that ends it; a wall time is on loc's clock.
func ParseWhen(field, v string, endOfDay bool, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, rhythm.Errorf(rhythm.EINVALID, "%s: must be set", field)
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, err := ParseTyped(field, v, loc); err == nil {
		return t, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, rhythm.Errorf(rhythm.EINVALID, "%s: %q is not a date (2026-04-01), a time in %s (2026-04-01 09:00) or an RFC 3339 time (2026-04-01T09:00:00Z)", field, v, loc)
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return team.LocalTime(team.DateOf(d), 0, loc).UTC(), nil
}

// Round reads the input into a round, refusing one that opens in the
// past unless it is imported.
func (in RoundInput) Round(now time.Time) (pulse.Round, error) {
	o, err := ParseWhen("opens", in.Opens, false, in.Zone)
	if err != nil {
		return pulse.Round{}, err
	}
	c, err := ParseWhen("closes", in.Closes, true, in.Zone)
	if err != nil {
		return pulse.Round{}, err
	}
	rd := pulse.Round{SurveyID: in.SurveyID, Opens: o, Closes: c, Imported: in.Imported}
	return rd, rd.CheckNotPast(now, rd.Imported)
}

// CreateRound schedules a round of a survey for a team.
func (a *App) CreateRound(ctx context.Context, who Actor, teamRef string, in RoundInput) (pulse.Round, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return pulse.Round{}, err
	}
	rd, err := in.Round(a.now())
	if err != nil {
		return rd, err
	}
	return a.db.CreateRound(ctx, strconv.FormatInt(ta.TeamID, 10), rd)
}

// teamRound authorizes who for need on the team of teamRef and returns
// its round id. With teamRef empty (the command line names a round only)
// the round's own team is checked.
func (a *App) teamRound(ctx context.Context, who Actor, need Access, teamRef string, id int64) (pulse.Round, store.TeamAccess, error) {
	if teamRef == "" {
		if _, err := a.Authorize(ctx, who, SignedIn, ""); err != nil {
			return pulse.Round{}, store.TeamAccess{}, err
		}
		rd, err := a.db.Round(ctx, id)
		if err != nil {
			return rd, store.TeamAccess{}, err
		}
		ta, err := a.Authorize(ctx, who, need, strconv.FormatInt(rd.TeamID, 10))
		return rd, ta, err
	}
	ta, err := a.Authorize(ctx, who, need, teamRef)
	if err != nil {
		return pulse.Round{}, ta, err
	}
	teamID := ta.TeamID
	if teamID == 0 { // admin use cases do not look the team up
		t, err := a.db.Team(ctx, teamRef)
		if err != nil {
			return pulse.Round{}, ta, err
		}
		teamID = t.ID
	}
	rd, err := a.db.Round(ctx, id)
	if err != nil {
		return rd, ta, err
	}
	if rd.TeamID != teamID {
		return rd, ta, rhythm.Errorf(rhythm.ENOTFOUND, "survey round %d not found in this team", id)
	}
	return rd, ta, nil
}

// RoundPage is one round as a person sees it: the survey to answer, and
// for leads and admins the results.
type RoundPage struct {
	Round    pulse.Round
	Survey   pulse.Survey
	Status   pulse.Status
	OnRoster bool
	Answered bool
	Lead     bool
	Results  *pulse.Results // leads and admins only
}

// Round returns one round of a team as who sees it.
func (a *App) Round(ctx context.Context, who Actor, teamRef string, id int64) (RoundPage, error) {
	rd, ta, err := a.teamRound(ctx, who, TeamMember, teamRef, id)
	if err != nil {
		return RoundPage{}, err
	}
	p := RoundPage{Round: rd, Status: rd.Status(a.now()), Lead: who.Admin() || ta.IsLead}
	if p.Survey, err = a.db.Survey(ctx, rd.SurveyID); err != nil {
		return p, err
	}
	memberID, err := a.memberID(ctx, rd.TeamID, who)
	if err != nil {
		return p, err
	}
	p.OnRoster = memberID != 0
	if memberID != 0 {
		if p.Answered, err = a.db.HasAnswered(ctx, rd.ID, memberID); err != nil {
			return p, err
		}
	}
	if p.Lead {
		res, _, err := a.db.RoundResults(ctx, rd.ID, a.now())
		if err != nil {
			return p, err
		}
		p.Results = &res
	}
	return p, nil
}

// SubmitAnswers records who's answers to a round of their team; nothing
// stored with them says whose they are.
func (a *App) SubmitAnswers(ctx context.Context, who Actor, teamRef string, id int64, answers pulse.Answers) (pulse.Round, error) {
	rd, _, err := a.teamRound(ctx, who, TeamMember, teamRef, id)
	if err != nil {
		return rd, err
	}
	memberID, err := a.memberID(ctx, rd.TeamID, who)
	if err != nil {
		return rd, err
	}
	if memberID == 0 {
		return rd, rhythm.Errorf(rhythm.EFORBIDDEN, "only people on the roster of team %q answer its survey", rd.Team)
	}
	return rd, a.db.SubmitResponse(ctx, rd.ID, memberID, answers)
}

// RoundResults returns a round's results, for the team's leads.
func (a *App) RoundResults(ctx context.Context, who Actor, teamRef string, id int64) (pulse.Results, error) {
	rd, _, err := a.teamRound(ctx, who, TeamLead, teamRef, id)
	if err != nil {
		return pulse.Results{}, err
	}
	res, _, err := a.db.RoundResults(ctx, rd.ID, a.now())
	return res, err
}

// RoundResponses returns a closed round's responses, only when its
// results may be shown.
func (a *App) RoundResponses(ctx context.Context, who Actor, teamRef string, id int64) (pulse.Results, []pulse.Answers, error) {
	rd, _, err := a.teamRound(ctx, who, TeamLead, teamRef, id)
	if err != nil {
		return pulse.Results{}, nil, err
	}
	res, rs, err := a.db.RoundResults(ctx, rd.ID, a.now())
	if err == nil && res.Suppressed {
		err = rhythm.Errorf(rhythm.EFORBIDDEN, "round %d: %s", rd.ID, res.Reason)
	}
	return res, rs, err
}

// ImportResponses stores responses exported from another tool (a CSV
// file, named name in errors) in an imported round; only admins import.
// It returns how many were added: 0 when the same file was imported before.
func (a *App) ImportResponses(ctx context.Context, who Actor, teamRef string, id int64, name string, data []byte) (int, error) {
	rd, _, err := a.teamRound(ctx, who, AdminOnly, teamRef, id)
	if err != nil {
		return 0, err
	}
	sv, err := a.db.Survey(ctx, rd.SurveyID)
	if err != nil {
		return 0, err
	}
	rs, err := pulse.ReadResponsesCSV(name, bytes.NewReader(data), sv)
	if err != nil {
		return 0, err
	}
	sum := sha256.Sum256(data)
	return a.db.ImportResponses(ctx, rd.ID, hex.EncodeToString(sum[:]), rs)
}

// Churn returns a team's churn per quarter from from to to, for its leads.
func (a *App) Churn(ctx context.Context, who Actor, teamRef string, from, to team.Date) ([]pulse.ChurnRow, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return nil, err
	}
	return a.db.Churn(ctx, strconv.FormatInt(ta.TeamID, 10), from, to)
}

// ImportMetrics stores metric samples under source; only admins do.
func (a *App) ImportMetrics(ctx context.Context, who Actor, source string, samples []metric.Sample) (int, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return 0, err
	}
	return a.db.SaveSamples(ctx, source, samples)
}

// Correlations correlates the stored metrics (and extra samples) across
// team-quarters; only admins see the report, which spans every team. The
// report is shared with other callers: it must not be changed.
func (a *App) Correlations(ctx context.Context, who Actor, x, y []string, extra []metric.Sample, opt stats.Options) (pulse.CorrelationReport, error) {
	if _, err := a.Authorize(ctx, who, AdminOnly, ""); err != nil {
		return pulse.CorrelationReport{}, err
	}
	samples, err := a.db.OutcomeSamples(ctx, a.now(), extra)
	if err != nil {
		return pulse.CorrelationReport{}, err
	}
	// The same samples, metrics and options give the same report (every
	// draw is seeded), so it is made once and kept while they stay so.
	return a.correlations.report(pulse.CorrelationRequest{Samples: samples, X: x, Y: y, Options: opt})
}
