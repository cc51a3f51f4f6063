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
	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/web"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr, dsn                      string
		isDemo                         bool
		maxBody                        int64
		metricsToken, metricsTokenFile string
		trustedProxies                 string
		bodyTimeout, uploadTimeout     time.Duration
		rf                             reminderFlags
		cf                             calendarFlags
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web app and JSON API",
		Example: `  rhythm serve --demo                      # a populated demo team in a temporary database
  rhythm serve --addr :8080 --db rhythm.db
  rhythm serve --db postgres://rhythm@db.internal/rhythm`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			senders, err := rf.senders()
			if err != nil {
				return err
			}
			if metricsTokenFile != "" {
				b, err := os.ReadFile(metricsTokenFile)
				if err != nil {
					return usagef("--metrics-token-file: %v", err)
				}
				metricsToken = strings.TrimSpace(string(b))
			}
			if metricsToken != "" && len(metricsToken) < 16 {
				return usagef("--metrics-token: use at least 16 characters")
			}
			proxies, err := account.ParseProxies(trustedProxies)
			if err != nil {
				return usagef("--trusted-proxies: %v", err)
			}
			if isDemo && !cmd.Flags().Changed("db") && os.Getenv("RHYTHM_DB") == "" {
				dir, err := os.MkdirTemp("", "rhythm-demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				dsn = filepath.Join(dir, "demo.db")
			}
			fresh := !dbExists(dsn)
			db, err := createDB(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			a.log.Info("database opened", "db", describeDB(dsn), "new", fresh)
			var demoLogin *web.DemoLogin
			if isDemo {
				if err := demo.CheckOnlyDemo(ctx, db); err != nil {
					return fmt.Errorf("--demo --db %s: %w", redact(dsn), err)
				}
				t, err := demo.Seed(ctx, db)
				if err != nil {
					return err
				}
				email, password, err := demo.Admin(ctx, db)
				if err != nil {
					return err
				}
				demoLogin = &web.DemoLogin{Email: email, Password: password}
				a.log.Info("demo data ready", "team", t.Name, "members", len(t.Members))
			}
			worker := &remind.Worker{Store: db, Senders: senders, Before: rf.before, Interval: rf.interval, BaseURL: rf.publicURL, Log: a.log}
			calendars, err := a.serveCalendars(dsn, &cf)
			if err != nil {
				return err
			}
			srv, err := web.New(web.Config{DB: db, Logger: a.log, MaxBody: maxBody, Demo: demoLogin, MetricsToken: metricsToken,
				ReminderChannels: worker.Channels(), Scheduler: sessionScheduler(), Advisor: meetingAdvisor(), TrustedProxies: proxies, Calendars: calendars,
				BodyTimeout: bodyTimeout, UploadTimeout: uploadTimeout, Slack: rf.slack.config(rf.publicURL)})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usagef("--addr %s: %v", addr, err)
			}
			fmt.Fprintf(a.stdout, "rhythm is listening on %s\n", displayURL(ln.Addr()))
			if demoLogin != nil {
				fmt.Fprintf(a.stdout, "demo admin: %s / %s (or click \"Sign in as the demo admin\")\n", demoLogin.Email, demoLogin.Password)
			}
			// The reminder and calendar workers run beside the server and stop with it.
			wctx, stopWorker := context.WithCancel(ctx)
			calDone, err := a.startCalendarWorker(wctx, db, calendars)
			if err != nil {
				stopWorker()
				return err
			}
			workerDone := make(chan struct{})
			if len(senders) > 0 {
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
		},
	}
	cmd.Flags().StringVar(&addr, "addr", ":8080", "address to listen on (env RHYTHM_ADDR)")
	dbFlag(cmd, &dsn)
	cmd.Flags().BoolVar(&isDemo, "demo", false, "seed a demo team; without --db, in a temporary database")
	cmd.Flags().Int64Var(&maxBody, "max-body", web.DefaultMaxBody, "largest accepted request body in bytes (uploads have their own limit)")
	rf.register(cmd)
	cf.register(cmd, true)
	cmd.Flags().StringVar(&metricsToken, "metrics-token", "", "bearer token that /metrics asks for; without one, /metrics answers only this machine (env RHYTHM_METRICS_TOKEN)")
	cmd.Flags().DurationVar(&bodyTimeout, "body-timeout", web.DefaultBodyTimeout, "time a client has to send a request body (env RHYTHM_BODY_TIMEOUT)")
	cmd.Flags().DurationVar(&uploadTimeout, "upload-timeout", web.DefaultUploadTimeout, "time a client has to send an import upload (env RHYTHM_UPLOAD_TIMEOUT)")
	cmd.Flags().StringVar(&trustedProxies, "trusted-proxies", "", "reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed (env RHYTHM_TRUSTED_PROXIES)")
	cmd.Flags().StringVar(&metricsTokenFile, "metrics-token-file", "", "file holding the metrics token (env RHYTHM_METRICS_TOKEN_FILE)")
	return cmd
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
