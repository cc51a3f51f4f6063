// Package web serves rhythm over HTTP: the JSON API under /api/v1 and the
// server-rendered pages, with templates and assets embedded.
package web

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/lint"
	"github.com/rhythm-team/rhythm/playbook"
	"github.com/rhythm-team/rhythm/report"
	"github.com/rhythm-team/rhythm/slack"
	"github.com/rhythm-team/rhythm/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// DefaultMaxBody is the largest request body accepted by default (JSON and
// form posts). Upload routes set their own limit.
const DefaultMaxBody = 1 << 20

// Config is what a Server needs.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	// MaxBody limits request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Demo, when set, offers one-click sign-in as this demo admin.
	Demo *DemoLogin
	// ReminderChannels names the channels reminders go out on, for the
	// reminders page; none means reminders are off.
	ReminderChannels []string
	// Scheduler places the live sessions of playbook runs; nil means runs
	// are refused.
	Scheduler playbook.Scheduler
	// Calendars enables live calendars; nil means they are off.
	Calendars *app.CalendarConfig
	// Advisor, when set, lets lint say which meetings could be async.
	Advisor lint.Advisor
	// MetricsToken, when set, is the bearer token that /metrics asks for;
	// when empty /metrics answers only requests from this machine.
	MetricsToken string
	// MaxImport limits import uploads; 0 means DefaultMaxImport.
	MaxImport int64
	// UploadDir is where uploads wait while they are imported, in a
	// folder per process; what a killed process left there is removed
	// when the server starts. Empty means os.TempDir()/rhythm-uploads.
	UploadDir string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed.
	TrustedProxies []netip.Prefix
	// Slack is the Slack app's settings; without a signing secret its
	// endpoints refuse every request.
	Slack slack.Config
	// BodyTimeout is how long a client has to send a request body; 0
	// means DefaultBodyTimeout. UploadTimeout is the same for imports; 0
	// means DefaultUploadTimeout.
	BodyTimeout, UploadTimeout time.Duration
	// SignOn, when set, lets people sign in with their account at an
	// OpenID Provider.
	SignOn *SignOn
	// PasswordLoginOff hides the password form and refuses password
	// sign-in and first-run setup with a password; API tokens and the
	// command line still work.
	PasswordLoginOff bool
}

// DemoLogin is the demo admin that `serve --demo` creates.
type DemoLogin struct {
	Email, Password string
}

// Server is rhythm's HTTP server.
type Server struct {
	db      *store.DB
	app     *app.App
	spool   *ingest.Spool // where uploads wait
	log     *slog.Logger
	maxBody int64
	now     func() time.Time
	demo    *DemoLogin
	// channels are the reminder channels of this server.
	channels []string
	advisor  lint.Advisor
	pages    map[string]*template.Template
	// maxImport limits import uploads.
	maxImport int64
	handler   http.Handler
	slack     *slack.Handler
	// routeList is every route with its access, in registration order.
	routeList []route
	mux       *http.ServeMux
	// obs holds this server's request and database pool metrics.
	obs            *observer
	metricsToken   string
	trustedProxies []netip.Prefix
	// bodyTimeout and uploadTimeout limit the time a request body takes.
	bodyTimeout, uploadTimeout time.Duration
	signOn                     *SignOn // nil: no single sign-on
	passwordLogin              bool
	// checkHash checks a password against a stored hash:
	// account.CheckPassword, which tests watch.
	checkHash func(hash, password string) bool
	csp       string // the Content-Security-Policy header
}

// New returns a server with its templates parsed and routes registered.
func New(cfg Config) (*Server, error) {
	s := &Server{db: cfg.DB, log: cfg.Logger, maxBody: cfg.MaxBody, now: cfg.Now, demo: cfg.Demo, metricsToken: cfg.MetricsToken,
		channels: cfg.ReminderChannels, advisor: cfg.Advisor, trustedProxies: cfg.TrustedProxies,
		signOn: cfg.SignOn, passwordLogin: !cfg.PasswordLoginOff, csp: contentSecurityPolicy(cfg.SignOn), checkHash: account.CheckPassword}
	s.app = app.New(s.db, func() time.Time { return s.now() }).WithScheduler(cfg.Scheduler) // tests set s.now after New
	if cfg.Calendars != nil {
		s.app.WithCalendars(*cfg.Calendars)
	}
	if cfg.SignOn != nil {
		s.app.WithSignOn(cfg.SignOn.Policy)
	}
	dummyHash() // ready before the first sign-in, so failures take the same time
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	s.slack = slack.NewHandler(s.app, cfg.Slack.WithLog(s.log))
	s.bodyTimeout, s.uploadTimeout = cmp.Or(cfg.BodyTimeout, DefaultBodyTimeout), cmp.Or(cfg.UploadTimeout, DefaultUploadTimeout)
	s.maxImport = cfg.MaxImport
	if s.maxImport <= 0 {
		s.maxImport = DefaultMaxImport
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	var err error
	if s.spool, err = ingest.OpenSpool(cfg.UploadDir); err != nil {
		return nil, err
	}
	s.obs = newObserver(s)
	s.mux = http.NewServeMux()
	s.routes()
	// Forged cross-origin form posts are refused; API clients that send no
	// Origin or Sec-Fetch-Site header (curl, scripts) pass.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.deny(w, r, rhythm.Errorf(rhythm.EFORBIDDEN, "cross-origin request refused"))
	}))
	s.handler = s.refuseNUL(cop.Handler(s.mux))
	return s, nil
}

// ServeHTTP implements http.Handler: security headers, a request ID, an
// access log line and request metrics around the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", s.csp)
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		// Pages and API answers hold someone's data: never cached.
		h.Set("Cache-Control", "no-store")
	}
	if s.overTLS(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.limitBodyTime(w, r)
	s.observe(w, r, s.handler)
}

func (s *Server) parseTemplates() error {
	funcs := report.AuditFuncs()
	for k, f := range (template.FuncMap{
		"lower": strings.ToLower,
		"roles": func() []string { return []string{"admin", "lead", "member"} },
		"has":   slices.Contains[[]int64],
		// csvHas reports whether the comma-separated list holds v (any case).
		"csvHas": func(csv, v string) bool {
			for _, x := range strings.Split(csv, ",") {
				if strings.EqualFold(strings.TrimSpace(x), v) {
					return true
				}
			}
			return false
		},
		"list": func(v ...string) []string { return v },
		"utc":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"add":  func(a, b int) int { return a + b },
		"levels": func(cur string) map[string]any {
			return map[string]any{"Cur": cur, "Levels": []string{"low", "medium", "high"}}
		},
		"pct": func(f float64) float64 { return 100 * f },
	}) {
		funcs[k] = f
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err == nil {
			err = report.AddAuditBody(t)
		}
		if err != nil {
			return fmt.Errorf("template %s: %w", base, err)
		}
		s.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// page is the data every page template gets.
type page struct {
	Title string
	Nav   string
	User  *account.User
	Demo  bool
	Data  any
	// Zone is the signed-in user's zone (UTC for nobody): At prints in it.
	Zone *time.Location
}

// At formats an instant in the user's zone, naming it.
func (p page) At(t time.Time) string {
	if p.Zone == nil {
		return stamp(t, time.UTC)
	}
	return stamp(t, p.Zone)
}

// render writes the page template name, rendered into a buffer first so a
// failing template never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.renderFailed(w, r, fmt.Errorf("no page template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", s.pageData(r, name, title, data)); err != nil {
		s.renderFailed(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderFailed answers a page whose template failed: a plain HTML error
// page that needs no template, never JSON.
func (s *Server) renderFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("page failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "<!doctype html>\n<title>Error · rhythm</title>\n<h1>Something went wrong</h1>\n<p>internal error; the server log has the details.</p>\n")
}

func (s *Server) pageData(r *http.Request, name, title string, data any) page {
	p := page{Title: title, Nav: name, Demo: s.demo != nil, Data: data, Zone: time.UTC}
	if u, ok := currentUser(r); ok {
		p.User = &u
		p.Zone = s.zone(r).Location()
	}
	return p
}

// apiError is the JSON error shape: {"error":{"code":…,"message":…}}.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// fail answers a JSON API request with err. Internal errors are logged and
// shown only as "internal error".
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := rhythm.ErrorCode(err)
	if code == rhythm.EINTERNAL {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.log.Error("request failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.unavailable(w, r, err)
	retryAfter(w, err)
	var body apiError
	body.Error.Code = code
	body.Error.Message = rhythm.ErrorMessage(err)
	s.json(w, rhythm.HTTPStatus(code), body)
}

// unavailable logs why a service the request needs (the database, the
// identity provider's sign-in record) is unavailable and asks the client to
// retry, when err says so.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	if rhythm.ErrorCode(err) == rhythm.EUNAVAILABLE {
		s.log.Warn("unavailable", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
	}
}

// json writes v as a JSON response.
func (s *Server) json(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode response", "err", err)
		http.Error(w, `{"error":{"code":"internal","message":"internal error"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// readBody reads the request body up to the server's limit, answering 413
// (as an ETOOLARGE error) when it is larger.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, rhythm.Errorf(rhythm.ETOOLARGE, "request body is larger than %d bytes", mbe.Limit)
	} else if err != nil {
		if err := slowBody(err); rhythm.ErrorCode(err) == rhythm.EINVALID {
			return nil, err
		}
		return nil, rhythm.Errorf(rhythm.EINVALID, "reading request body: %v", err)
	}
	return b, checkBodyText(b)
}

// decodeJSON reads a strict JSON body into v.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return rhythm.Errorf(rhythm.EINVALID, "malformed JSON body: %v", err)
	}
	if dec.More() {
		return rhythm.Errorf(rhythm.EINVALID, "malformed JSON body: more than one JSON value")
	}
	return nil
}
