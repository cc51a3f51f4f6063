package web

import (
	"io/fs"
	"net/http"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/slack"
)

// access is who may use a route. Every route declares one: the first
// gate. The application layer (app.Authorize) is what enforces it, for
// this gate and again inside every use case.
type access = app.Access

const (
	public     = app.Public     // anyone, signed in or not
	signedIn   = app.SignedIn   // any signed-in user or API token
	teamMember = app.TeamMember // a member of the {team} in the path, its leads, admins
	teamLead   = app.TeamLead   // a lead of the {team} in the path, admins
	adminOnly  = app.AdminOnly  // admins
	// slackSigned is a request signed with the Slack app's signing secret:
	// no session or token is looked at; the Slack handler verifies the
	// signature before it reads anything and acts as the Slack app.
	slackSigned = app.SlackSigned
	// unguarded is anyone, without even looking at credentials: health checks
	// and metrics, which answer while the database is away and check
	// their own token where they need one.
	unguarded access = -1
)

// route is a registered route, kept so tests can check every one.
type route struct {
	pattern string
	access  access
}

// handle registers h for pattern, reachable only with the given access.
func (s *Server) handle(pattern string, a access, h http.HandlerFunc) {
	s.routeList = append(s.routeList, route{pattern, a})
	s.mux.Handle(pattern, s.guard(a, h))
}

// routes registers every route of the server, one table per surface,
// readable top to bottom. It is long because it is that table: one line
// per route with its access, which reads best in one place.
func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /static/report.css", serveReportCSS)
	s.handle("GET /healthz", unguarded, s.healthz)
	s.handle("GET /readyz", unguarded, s.readyz)
	s.handle("GET /metrics", unguarded, s.metricsHandler()) // its own token, or this machine only

	// The Slack app (see package slack).
	s.handle("POST "+slack.PathEvents, slackSigned, s.slack.Events)
	s.handle("POST "+slack.PathCommands, slackSigned, s.slack.Commands)
	s.handle("POST "+slack.PathInteractions, slackSigned, s.slack.Interactions)

	// JSON API.
	s.handle("GET /api/v1/teams", signedIn, s.apiListTeams)
	s.handle("POST /api/v1/teams", adminOnly, s.apiCreateTeam)
	s.handle("POST /api/v1/rosters", adminOnly, s.apiImportRoster)
	s.handle("GET /api/v1/teams/{team}", teamMember, s.apiGetTeam)
	s.handle("PUT /api/v1/teams/{team}", teamLead, s.apiReplaceTeam)
	s.handle("DELETE /api/v1/teams/{team}", adminOnly, s.apiDeleteTeam)
	s.handle("GET /api/v1/teams/{team}/members", teamMember, s.apiListMembers)
	s.handle("POST /api/v1/teams/{team}/members", teamLead, s.apiAddMember)
	s.handle("GET /api/v1/teams/{team}/overlap", teamMember, s.apiOverlap)
	s.handle("GET /api/v1/teams/{team}/members/{member}", teamMember, s.apiGetMember)
	s.handle("PUT /api/v1/teams/{team}/members/{member}", teamLead, s.apiUpdateMember)
	s.handle("DELETE /api/v1/teams/{team}/members/{member}", teamLead, s.apiDeleteMember)
	s.handle("GET /api/v1/teams/{team}/calendars", teamMember, s.apiListCalendars)
	s.handle("POST /api/v1/teams/{team}/calendars", teamMember, s.apiConnectCalendar)
	s.handle("DELETE /api/v1/teams/{team}/calendars/{id}", teamMember, s.apiRemoveCalendar)
	s.handle("POST /api/v1/teams/{team}/calendars/{id}/sync", teamMember, s.apiSyncCalendar)
	s.handle("GET /api/v1/teams/{team}/threads", teamMember, s.apiListThreads)
	s.handle("POST /api/v1/teams/{team}/threads", teamMember, s.apiCreateThread)
	s.handle("GET /api/v1/teams/{team}/threads/{id}", teamMember, s.apiGetThread)
	s.handle("POST /api/v1/teams/{team}/threads/{id}/responses", teamMember, s.apiRespond)
	s.handle("POST /api/v1/teams/{team}/threads/{id}/close", teamMember, s.apiCloseThread)
	s.handle("GET /api/v1/teams/{team}/waiting", teamMember, s.apiWaiting)
	s.handle("GET /api/v1/teams/{team}/decisions", teamMember, s.apiListDecisions)
	s.handle("POST /api/v1/teams/{team}/decisions", teamMember, s.apiCreateDecision)
	s.handle("GET /api/v1/teams/{team}/decisions/{id}", teamMember, s.apiGetDecision)
	s.handle("GET /api/v1/teams/{team}/reminders", teamLead, s.apiListReminders)
	s.handle("POST /api/v1/teams/{team}/reminders/{id}/retry", teamLead, s.apiRetryReminder)
	s.handle("GET /api/v1/playbooks", signedIn, s.apiBuiltinPlaybooks)
	s.handle("GET /api/v1/teams/{team}/playbooks", teamMember, s.apiTeamPlaybooks)
	s.handle("GET /api/v1/teams/{team}/playbooks/{name}", teamMember, s.apiGetPlaybook)
	s.handle("PUT /api/v1/teams/{team}/playbooks/{name}", teamLead, s.apiPutPlaybook)
	s.handle("DELETE /api/v1/teams/{team}/playbooks/{name}", teamLead, s.apiDeletePlaybook)
	s.handle("POST /api/v1/teams/{team}/playbooks/{name}/runs", teamMember, s.apiRunPlaybook)
	s.handle("POST /api/v1/teams/{team}/lint", teamMember, s.apiLint)
	s.handle("POST /api/v1/schedule", signedIn, s.apiSchedule)
	s.handle("POST /api/v1/teams/{team}/imports", teamLead, s.apiImport)
	s.handle("GET /api/v1/teams/{team}/imports", teamMember, s.apiListImports)
	s.handle("GET /api/v1/teams/{team}/audit", teamMember, s.apiGetAudit)
	s.handle("GET /api/v1/me/audit", signedIn, s.apiMyAudit)
	s.handle("GET /api/v1/me", signedIn, s.apiMe)
	s.handle("PATCH /api/v1/me", signedIn, s.apiPatchMe)
	s.handle("GET /api/v1/tokens", signedIn, s.apiListTokens)
	s.handle("POST /api/v1/tokens", signedIn, s.apiCreateToken)
	s.handle("DELETE /api/v1/tokens/{id}", signedIn, s.apiRevokeToken)
	s.handle("POST /api/v1/ical/expand", signedIn, s.apiExpandCalendar)
	s.handle("GET /api/v1/users", adminOnly, s.apiListUsers)
	s.handle("GET /api/v1/pulse/surveys", signedIn, s.apiListSurveys)
	s.handle("POST /api/v1/pulse/surveys", adminOnly, s.apiCreateSurvey)
	s.handle("GET /api/v1/teams/{team}/pulse/rounds", teamMember, s.apiListRounds)
	s.handle("POST /api/v1/teams/{team}/pulse/rounds", teamLead, s.apiCreateRound)
	s.handle("POST /api/v1/teams/{team}/pulse/rounds/{id}/answers", teamMember, s.apiSubmitResponse)
	s.handle("GET /api/v1/teams/{team}/pulse/rounds/{id}/results", teamLead, s.apiRoundResults)
	s.handle("GET /api/v1/teams/{team}/pulse/rounds/{id}/responses", teamLead, s.apiExportResponses)
	s.handle("POST /api/v1/teams/{team}/pulse/rounds/{id}/responses", adminOnly, s.apiImportResponses)
	s.handle("GET /api/v1/teams/{team}/churn", teamLead, s.apiChurn)
	s.handle("POST /api/v1/metrics", adminOnly, s.apiImportMetrics)
	s.handle("GET /api/v1/correlations", adminOnly, s.apiCorrelations)
	s.handle("GET /api/v1/experiments", signedIn, s.apiListExperiments)
	s.handle("POST /api/v1/experiments", signedIn, s.apiCreateExperiment)
	s.handle("GET /api/v1/experiments/{id}", signedIn, s.apiGetExperiment)
	s.handle("POST /api/v1/experiments/{id}/assign", signedIn, s.apiAssignExperiment)
	s.handle("GET /api/v1/experiments/{id}/report", signedIn, s.apiExperimentReport)
	s.handle("POST /api/v1/users", adminOnly, s.apiCreateUser)
	s.handle("POST /api/v1/decide", public, s.apiDecide)
	s.handle("POST /api/v1/teams/{team}/decide", teamMember, s.apiTeamDecide)
	s.handle("/api/", public, s.apiNotFound)

	// Pages.
	s.handle("GET /{$}", public, s.uiHome)
	s.handle("GET /setup", public, s.uiSetup)
	s.handle("POST /setup", public, s.uiSetupPost)
	s.handle("GET /login", public, s.uiLogin)
	s.handle("POST /login", public, s.uiLoginPost)
	s.handle("POST /login/demo", public, s.uiDemoLogin)
	s.handle("POST /logout", public, s.uiLogout)
	s.handle("GET /auth/oidc/login", public, s.uiSignOnBegin)
	s.handle("GET /auth/oidc/callback", public, s.uiSignOnCallback)
	s.handle("GET /account", signedIn, s.uiAccount)
	s.handle("POST /account/password", signedIn, s.uiChangePassword)
	s.handle("POST /account/zone", signedIn, s.uiSetZone)
	s.handle("POST /account/tokens", signedIn, s.uiCreateToken)
	s.handle("POST /account/tokens/{id}/revoke", signedIn, s.uiRevokeToken)
	s.handle("GET /admin/users", adminOnly, s.uiUsers)
	s.handle("POST /admin/users", adminOnly, s.uiCreateUser)
	s.handle("POST /admin/users/{id}", adminOnly, s.uiUpdateUser)
	s.handle("POST /admin/users/{id}/delete", adminOnly, s.uiDeleteUser)
	s.handle("GET /decide", signedIn, s.uiDecide)
	s.handle("GET /teams", signedIn, s.uiTeams)
	s.handle("GET /teams/new", adminOnly, s.uiNewTeam)
	s.handle("POST /teams", adminOnly, s.uiCreateTeam)
	s.handle("GET /teams/{team}", teamMember, s.uiTeam)
	s.handle("GET /teams/{team}/overlap", teamMember, s.uiOverlap)
	s.handle("GET /teams/{team}/schedule", teamMember, s.uiSchedule)
	s.handle("GET /teams/{team}/schedule.ics", teamMember, s.uiScheduleICS)
	s.handle("GET /teams/{team}/roster", teamLead, s.uiRoster)
	s.handle("POST /teams/{team}/roster", teamLead, s.uiSaveRoster)
	s.handle("GET /teams/{team}/threads", teamMember, s.uiThreads)
	s.handle("POST /teams/{team}/threads", teamMember, s.uiCreateThread)
	s.handle("GET /teams/{team}/threads/{id}", teamMember, s.uiThread)
	s.handle("POST /teams/{team}/threads/{id}/responses", teamMember, s.uiRespond)
	s.handle("POST /teams/{team}/threads/{id}/close", teamMember, s.uiCloseThread)
	s.handle("GET /teams/{team}/decisions", teamMember, s.uiDecisions)
	s.handle("POST /teams/{team}/decisions", teamMember, s.uiCreateDecision)
	s.handle("GET /teams/{team}/reminders", teamLead, s.uiReminders)
	s.handle("POST /teams/{team}/reminders/{id}/retry", teamLead, s.uiRetryReminder)
	s.handle("GET /teams/{team}/playbooks", teamMember, s.uiPlaybooks)
	s.handle("POST /teams/{team}/playbooks/{name}/runs", teamMember, s.uiRunPlaybook)
	s.handle("GET /waiting", signedIn, s.uiWaiting)
	s.handle("GET /teams/{team}/pulse", teamMember, s.uiPulse)
	s.handle("POST /teams/{team}/pulse", teamLead, s.uiCreateRound)
	s.handle("GET /teams/{team}/pulse/{id}", teamMember, s.uiRound)
	s.handle("POST /teams/{team}/pulse/{id}", teamMember, s.uiSubmitAnswers)
	s.handle("GET /experiments", signedIn, s.uiExperiments)
	s.handle("GET /experiments/new", signedIn, s.uiNewExperiment)
	s.handle("POST /experiments", signedIn, s.uiCreateExperiment)
	s.handle("GET /experiments/{id}", signedIn, s.uiExperiment)
	s.handle("POST /experiments/{id}/assign", signedIn, s.uiAssignExperiment)
	s.handle("GET /experiments/{id}/report", signedIn, s.uiExperimentReport)
	s.handle("GET /insights/correlations", adminOnly, s.uiCorrelations)
	s.handle("GET /teams/{team}/calendars", teamMember, s.uiCalendars)
	s.handle("POST /teams/{team}/calendars", teamMember, s.uiConnectCalendar)
	s.handle("POST /teams/{team}/calendars/{id}", teamMember, s.uiCalendarAction)
	s.handle("GET /teams/{team}/imports", teamMember, s.uiImports)
	s.handle("POST /teams/{team}/imports", teamLead, s.uiImport)
	s.handle("GET /teams/{team}/audit", teamMember, s.uiAudit)
	s.handle("POST /teams/{team}/audit", teamLead, s.uiRunAudit)
	s.handle("GET /me/week", signedIn, s.uiMyWeek)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
