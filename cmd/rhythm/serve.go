package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/account"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/web"
)

// serveFlags are the flags of rhythm serve.
type serveFlags struct {
	addr, dsn                      string
	isDemo                         bool
	maxBody                        int64
	metricsToken, metricsTokenFile string
	trustedProxies                 string
	bodyTimeout, uploadTimeout     time.Duration
	rf                             reminderFlags
	cf                             calendarFlags
	sf                             ssoFlags
}

func (a *app) serveCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web app and JSON API",
		Example: `  rhythm serve --demo                      # a populated demo team in a temporary database
  rhythm serve --addr :8080 --db rhythm.db
  rhythm serve --db postgres://rhythm@db.internal/rhythm`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd, &f)
		},
	}
	f.register(cmd)
	return cmd
}

func (f *serveFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.addr, "addr", ":8080", "address to listen on (env RHYTHM_ADDR)")
	dbFlag(cmd, &f.dsn)
	cmd.Flags().BoolVar(&f.isDemo, "demo", false, "seed a demo team; without --db, in a temporary database")
	cmd.Flags().Int64Var(&f.maxBody, "max-body", web.DefaultMaxBody, "largest accepted request body in bytes (uploads have their own limit)")
	f.rf.register(cmd)
	f.cf.register(cmd, true)
	f.sf.register(cmd)
	cmd.Flags().StringVar(&f.metricsToken, "metrics-token", "", "bearer token that /metrics asks for; without one, /metrics answers only this machine (env RHYTHM_METRICS_TOKEN)")
	cmd.Flags().DurationVar(&f.bodyTimeout, "body-timeout", web.DefaultBodyTimeout, "time a client has to send a request body (env RHYTHM_BODY_TIMEOUT)")
	cmd.Flags().DurationVar(&f.uploadTimeout, "upload-timeout", web.DefaultUploadTimeout, "time a client has to send an import upload (env RHYTHM_UPLOAD_TIMEOUT)")
	cmd.Flags().StringVar(&f.trustedProxies, "trusted-proxies", "", "reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed (env RHYTHM_TRUSTED_PROXIES)")
	cmd.Flags().StringVar(&f.metricsTokenFile, "metrics-token-file", "", "file holding the metrics token (env RHYTHM_METRICS_TOKEN_FILE)")
}

// checkMetricsToken reads --metrics-token-file when given and checks the
// token's length.
func (f *serveFlags) checkMetricsToken() error {
	if f.metricsTokenFile != "" {
		b, err := os.ReadFile(f.metricsTokenFile)
		if err != nil {
			return usagef("--metrics-token-file: %v", err)
		}
		f.metricsToken = strings.TrimSpace(string(b))
	}
	if f.metricsToken != "" && len(f.metricsToken) < 16 {
		return usagef("--metrics-token: use at least 16 characters")
	}
	return nil
}

// serve checks the flags, opens the database, starts the workers and
// serves until the command's context ends.
func (a *app) serve(cmd *cobra.Command, f *serveFlags) error {
	ctx := cmd.Context()
	senders, err := f.rf.senders()
	if err != nil {
		return err
	}
	if err := f.checkMetricsToken(); err != nil {
		return err
	}
	proxies, err := account.ParseProxies(f.trustedProxies)
	if err != nil {
		return usagef("--trusted-proxies: %v", err)
	}
	ssoCfg, err := f.sf.config(f.rf.publicURL)
	if err != nil {
		return err
	}
	if err := needsSharedKey(ssoCfg, f.dsn, &f.cf); err != nil {
		return err
	}
	if f.isDemo && !cmd.Flags().Changed("db") && os.Getenv("RHYTHM_DB") == "" {
		dir, err := os.MkdirTemp("", "rhythm-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		f.dsn = filepath.Join(dir, "demo.db")
	}
	fresh := !dbExists(f.dsn)
	db, err := createDB(ctx, f.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	a.log.Info("database opened", "db", describeDB(f.dsn), "new", fresh)
	demoLogin, err := a.seedDemo(ctx, db, f)
	if err != nil {
		return err
	}
	worker := &remind.Worker{Store: db, Senders: senders, Before: f.rf.before, Interval: f.rf.interval, BaseURL: f.rf.publicURL, Log: a.log}
	calendars, err := a.serveCalendars(f.dsn, &f.cf)
	if err != nil {
		return err
	}
	signOn, err := a.newSignOn(ssoCfg, f.sf.passwordLogin, f.rf.publicURL, func() (*secret.Box, error) { return f.cf.box(f.dsn, true) })
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{DB: db, Logger: a.log, MaxBody: f.maxBody, Demo: demoLogin, MetricsToken: f.metricsToken,
		ReminderChannels: worker.Channels(), Scheduler: sessionScheduler(), Advisor: meetingAdvisor(), TrustedProxies: proxies, Calendars: calendars,
		BodyTimeout: f.bodyTimeout, UploadTimeout: f.uploadTimeout, SignOn: signOn, PasswordLoginOff: !f.sf.passwordLogin,
		Slack: f.rf.slack.config(f.rf.publicURL)})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usagef("--addr %s: %v", f.addr, err)
	}
	fmt.Fprintf(a.stdout, "rhythm is listening on %s\n", displayURL(ln.Addr()))
	if demoLogin != nil {
		fmt.Fprintf(a.stdout, "demo admin: %s / %s (or click \"Sign in as the demo admin\")\n", demoLogin.Email, demoLogin.Password)
	}
	return a.serveWithWorkers(ctx, ln, srv, db, worker, calendars)
}

// seedDemo fills the database with the demo team under --demo and returns
// the demo admin's sign-in; without --demo it returns nil.
func (a *app) seedDemo(ctx context.Context, db *store.DB, f *serveFlags) (*web.DemoLogin, error) {
	if !f.isDemo {
		return nil, nil
	}
	if err := demo.CheckOnlyDemo(ctx, db); err != nil {
		return nil, fmt.Errorf("--demo --db %s: %w", redact(f.dsn), err)
	}
	t, err := demo.Seed(ctx, db)
	if err != nil {
		return nil, err
	}
	email, password, err := demo.Admin(ctx, db)
	if err != nil {
		return nil, err
	}
	a.log.Info("demo data ready", "team", t.Name, "members", len(t.Members))
	return &web.DemoLogin{Email: email, Password: password}, nil
}

// serveWithWorkers runs the reminder and calendar workers beside the
// server; they stop with it.
func (a *app) serveWithWorkers(ctx context.Context, ln net.Listener, srv http.Handler, db *store.DB, worker *remind.Worker, calendars *rhythmapp.CalendarConfig) error {
	wctx, stopWorker := context.WithCancel(ctx)
	calDone, err := a.startCalendarWorker(wctx, db, calendars)
	if err != nil {
		stopWorker()
		return err
	}
	workerDone := make(chan struct{})
	if len(worker.Senders) > 0 {
		go func() { defer close(workerDone); worker.Run(wctx) }()
	} else {
		close(workerDone)
		a.log.Info("reminders: no channel configured (--remind-slack-url, --remind-webhook-url, --smtp-addr); none are sent")
	}
	err = serveUntilDone(ctx, ln, srv, a)
	stopWorker()
	<-workerDone
	<-calDone
	return err
}

// displayURL turns a listener address into a URL a person can open.
func displayURL(addr net.Addr) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	} else if ip.To4() == nil {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + port + "/"
}

// serveUntilDone serves until ctx ends, then drains in-flight requests.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, a *app) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: draining in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
