package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/calendar"
	"github.com/rhythm-team/rhythm/calendar/caldav"
	"github.com/rhythm-team/rhythm/calendar/icsfeed"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
	"github.com/rhythm-team/rhythm/store"
)

// calendarFlags are the settings of live calendars, shared by serve and
// the calendar commands.
type calendarFlags struct {
	secretKey     string
	secretKeyFile string
	allowHosts    string
	maxMB         int64
	every         time.Duration
}

func (f *calendarFlags) register(cmd *cobra.Command, serve bool) {
	fs := cmd.Flags()
	if !serve {
		fs = cmd.PersistentFlags()
	}
	fs.StringVar(&f.secretKeyFile, "secret-key-file", "", "file holding the key that seals stored calendar credentials; default: beside the SQLite file, made on first use (env RHYTHM_SECRET_KEY_FILE)")
	fs.StringVar(&f.secretKey, "secret-key", "", "the key itself, base64 or hex; prefer the environment (env RHYTHM_SECRET_KEY)")
	fs.StringVar(&f.allowHosts, "calendar-allow-hosts", "", "hosts or networks (comma-separated) that calendars may be read from although private, e.g. a LAN Nextcloud (env RHYTHM_CALENDAR_ALLOW_HOSTS)")
	fs.Int64Var(&f.maxMB, "calendar-max-mb", outbound.DefaultMaxBytes>>20, "largest calendar read, in MB")
	if serve {
		fs.DurationVar(&f.every, "calendar-sync-every", calendar.DefaultEvery, "how often each connected calendar is synced")
	}
}

// box opens the key that seals calendar credentials: --secret-key, else
// --secret-key-file, else a key file beside the SQLite database (made when
// create is true and there is none). Servers sharing PostgreSQL must be
// given the same key.
func (f *calendarFlags) box(dsn string, create bool) (*secret.Box, error) {
	if f.secretKey != "" {
		k, err := secret.ParseKey(f.secretKey)
		if err != nil {
			return nil, usagef("--secret-key: %s", rhythm.ErrorMessage(err))
		}
		return secret.New(k)
	}
	path := f.secretKeyFile
	if path == "" {
		if store.IsPostgresDSN(dsn) {
			return nil, usagef("calendars need --secret-key-file or RHYTHM_SECRET_KEY with PostgreSQL: every server must seal and open credentials with the same key")
		}
		path = dsn + ".key"
	}
	k, _, err := secret.LoadOrCreate(path, create)
	if err != nil {
		return nil, usagef("%s", rhythm.ErrorMessage(err))
	}
	return secret.New(k)
}

func (f *calendarFlags) policy() (outbound.Policy, error) {
	allow, err := outbound.ParseAllow("--calendar-allow-hosts", f.allowHosts)
	if err != nil {
		return outbound.Policy{}, usagef("%s", rhythm.ErrorMessage(err))
	}
	return outbound.Policy{Allow: allow}, nil
}

func (f *calendarFlags) worker(db *store.DB, box *secret.Box, id string, log *slog.Logger) (*calendar.Worker, error) {
	pol, err := f.policy()
	if err != nil {
		return nil, err
	}
	return &calendar.Worker{Store: db, Box: box, HTTP: pol.Client(), MaxBytes: f.maxMB << 20, Resolver: db.Resolver,
		ID: id, Every: f.every, Log: log}, nil
}

func (a *app) calendarCommand() *cobra.Command {
	var (
		dsn string
		cf  calendarFlags
	)
	cmd := groupCommand("calendar", "Connect live calendars (CalDAV or calendar links) and sync them",
		"  rhythm calendar add --team Platform --member ana@example.com --ics-url https://calendar.google.com/calendar/ical/…/basic.ics\n"+
			"  rhythm calendar sync --team Platform")
	persistentDBFlag(cmd, &dsn)
	cf.register(cmd, false)
	cmd.AddCommand(a.calendarAdd(&dsn, &cf), a.calendarList(&dsn), a.calendarSync(&dsn, &cf), a.calendarRemove(&dsn))
	return cmd
}

func (a *app) calendarAdd(dsn *string, cf *calendarFlags) *cobra.Command {
	var teamRef, member, icsURL, davURL, username, calName string
	var pwStdin bool
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Connect a member's or the team's calendar: a secret calendar link or a CalDAV account",
		Example: "  rhythm calendar add --team Platform --member ana@example.com --ics-url https://calendar.example.com/private-…/basic.ics\n" +
			"  echo \"$APP_PASSWORD\" | rhythm calendar add --team Platform --member ana@example.com --caldav https://cloud.example.com/remote.php/dav --username ana --password-stdin",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (icsURL == "") == (davURL == "") {
				return usagef("give one of --ics-url or --caldav")
			}
			password := ""
			if davURL != "" {
				if !pwStdin || username == "" {
					return usagef("--caldav needs --username and --password-stdin (the app password on standard input)")
				}
				p, err := readSecretLine(a.stdin)
				if err != nil {
					return usagef("--password-stdin: %v", err)
				}
				password = p
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				return a.addCalendar(cmd.Context(), db, *dsn, cf, teamRef, member, icsURL, davURL, username, password, calName)
			})
		},
	}
	cmd.Flags().StringVar(&teamRef, "team", "", "the team (name or id)")
	cmd.Flags().StringVar(&member, "member", "", "whose calendar it is (email, name or alias); none for a team calendar")
	cmd.Flags().StringVar(&icsURL, "ics-url", "", "a secret calendar link serving iCalendar (Google's \"secret address in iCal format\", an Outlook ICS link)")
	cmd.Flags().StringVar(&davURL, "caldav", "", "a CalDAV server URL (Nextcloud, Fastmail, iCloud, Radicale, …)")
	cmd.Flags().StringVar(&username, "username", "", "the CalDAV user name")
	cmd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the CalDAV app password from standard input")
	cmd.Flags().StringVar(&calName, "calendar", "", "which CalDAV calendar, by name or path, when the account has several")
	cmd.MarkFlagRequired("team")
	return cmd
}

// readSecretLine reads one line, without its line ending.
func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return line, nil
}

func (a *app) addCalendar(ctx context.Context, db *store.DB, dsn string, cf *calendarFlags, teamRef, member, icsURL, davURL, username, password, calName string) error {
	t, err := db.Team(ctx, teamRef)
	if err != nil {
		return err
	}
	if member != "" {
		m, err := t.Resolve(member)
		if err != nil {
			return usagef("--member: %s", rhythm.ErrorMessage(err))
		}
		member = m.Email
	}
	box, err := cf.box(dsn, true)
	if err != nil {
		return err
	}
	pol, err := cf.policy()
	if err != nil {
		return err
	}
	kind, link, cal, name := calendar.ICS, icsURL, "", ""
	if davURL != "" {
		kind, link = calendar.CalDAV, davURL
		if cal, name, err = chooseCalendar(ctx, pol, davURL, username, password, calName); err != nil {
			return err
		}
	} else if _, err := pol.CheckURL(strings.Replace(icsURL, "webcal://", "https://", 1)); err != nil {
		return err
	}
	rec, err := calendar.NewRecord(box, t.ID, member, kind, link, username, password, cal, name)
	if err != nil {
		return err
	}
	if rec, err = db.CreateCalendarConnection(ctx, rec); err != nil {
		return err
	}
	whose := "team " + t.Name
	if member != "" {
		whose = member
	}
	fmt.Fprintf(a.stdout, "connected calendar %d (%s at %s) for %s; it syncs with the server, or now with: rhythm calendar sync --team %q\n",
		rec.ID, kind, rec.Host, whose, t.Name)
	return nil
}

// chooseCalendar finds the account's calendars and picks the one named, or
// the only one.
func chooseCalendar(ctx context.Context, pol outbound.Policy, server, username, password, want string) (href, name string, err error) {
	cl, err := caldav.New(pol.Client(), server, username, password)
	if err != nil {
		return "", "", err
	}
	cals, err := cl.Discover(ctx)
	if err != nil {
		return "", "", err
	}
	var names []string
	for _, c := range cals {
		if want != "" && (strings.EqualFold(c.Name, want) || c.Href == want) {
			return c.Href, c.Name, nil
		}
		names = append(names, strconv.Quote(c.Name))
	}
	switch {
	case len(cals) == 0:
		return "", "", rhythm.Errorf(rhythm.EINVALID, "the account at %s has no calendar with events", icsfeed.Host(server))
	case want == "" && len(cals) == 1:
		return cals[0].Href, cals[0].Name, nil
	case want == "":
		return "", "", usagef("the account has %d calendars: choose one with --calendar (%s)", len(cals), strings.Join(names, ", "))
	}
	return "", "", usagef("--calendar: no calendar %q (the account has %s)", want, strings.Join(names, ", "))
}

func (a *app) calendarList(dsn *string) *cobra.Command {
	var teamRef string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List a team's calendar connections and how their last sync went",
		Example: "  rhythm calendar list --team Platform",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, *dsn, func(db *store.DB) error {
				t, err := db.Team(cmd.Context(), teamRef)
				if err != nil {
					return err
				}
				recs, err := db.CalendarConnections(cmd.Context(), t.ID)
				if err != nil {
					return err
				}
				if asJSON {
					rows := make([]calendarRow, len(recs))
					for i := range recs {
						rows[i] = calendarRow{Record: recs[i], State: recs[i].State()}
					}
					return writeNDJSON(a.stdout, rows)
				}
				return writeCalendars(a.stdout, recs)
			})
		},
	}
	cmd.Flags().StringVar(&teamRef, "team", "", "the team (name or id)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	cmd.MarkFlagRequired("team")
	return cmd
}

// calendarRow is a connection as `calendar list --json` prints it.
type calendarRow struct {
	calendar.Record
	State string `json:"state"`
}

func writeCalendars(w io.Writer, recs []calendar.Record) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "no calendars connected; add one with: rhythm calendar add --team T --member EMAIL --ics-url URL")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHOSE\tKIND\tSERVER\tCALENDAR\tLAST SYNC (UTC)\tSTATE")
	for _, r := range recs {
		whose := r.Member
		if whose == "" {
			whose = "(team)"
		}
		last := "-"
		if !r.LastSuccess.IsZero() {
			last = r.LastSuccess.UTC().Format("2006-01-02 15:04")
		}
		name := r.CalendarName
		if name == "" {
			name = "…" + r.Hint
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, whose, r.Kind, r.Host, name, last, r.State())
	}
	return tw.Flush()
}

func (a *app) calendarSync(dsn *string, cf *calendarFlags) *cobra.Command {
	var teamRef string
	cmd := &cobra.Command{
		Use:     "sync",
		Short:   "Sync a team's calendars now (exit 1 when one failed)",
		Example: "  rhythm calendar sync --team Platform",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, *dsn, func(db *store.DB) error {
				return a.syncCalendars(cmd.Context(), db, *dsn, cf, teamRef)
			})
		},
	}
	cmd.Flags().StringVar(&teamRef, "team", "", "the team (name or id)")
	cmd.MarkFlagRequired("team")
	return cmd
}

func (a *app) syncCalendars(ctx context.Context, db *store.DB, dsn string, cf *calendarFlags, teamRef string) error {
	t, err := db.Team(ctx, teamRef)
	if err != nil {
		return err
	}
	recs, err := db.CalendarConnections(ctx, t.ID)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return usagef("team %q has no calendars connected", t.Name)
	}
	box, err := cf.box(dsn, false)
	if err != nil {
		return err
	}
	w, err := cf.worker(db, box, fmt.Sprintf("cli-%d", os.Getpid()), nil) // each result is printed below
	if err != nil {
		return err
	}
	step, done := a.rowProgress("syncing calendars")
	defer done()
	failed := 0
	for i, r := range recs {
		if step != nil {
			step(r.Host, int64(i))
		}
		now := time.Now()
		claimed, err := db.ClaimCalendarSync(ctx, w.ID, r.ID, now, now.Add(10*time.Minute))
		if rhythm.ErrorCode(err) == rhythm.ECONFLICT {
			fmt.Fprintf(a.stdout, "calendar %d: a server is syncing it right now\n", r.ID)
			continue
		} else if err != nil {
			return err
		}
		o := w.Sync(ctx, &claimed)
		if err := db.FinishCalendarSync(ctx, r.ID, w.ID, o); err != nil {
			return err
		}
		after, err := db.CalendarConnection(ctx, r.ID)
		if err != nil {
			return err
		}
		if o.Result == nil {
			failed++
		}
		fmt.Fprintf(a.stdout, "calendar %d (%s): %s\n", r.ID, r.Host, after.State())
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d calendars failed to sync", failed, len(recs))
	}
	return nil
}

func (a *app) calendarRemove(dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:     "remove ID",
		Short:   "Disconnect a calendar: its credentials and everything read from it are deleted",
		Example: "  rhythm calendar remove 3",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("calendar remove: %q is not a calendar id (see rhythm calendar list)", args[0])
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				if err := db.DeleteCalendarConnection(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "removed calendar %d and the events read from it\n", id)
				return nil
			})
		},
	}
}

// startCalendarWorker starts syncing connected calendars in the background
// and returns a channel closed when the worker has stopped. Without a key
// (PostgreSQL and no --secret-key-file) calendars are not synced, and the
// log says so.
func (a *app) startCalendarWorker(ctx context.Context, db *store.DB, dsn string, cf *calendarFlags) (<-chan struct{}, error) {
	done := make(chan struct{})
	box, err := cf.box(dsn, true)
	if err != nil && cf.secretKey == "" && cf.secretKeyFile == "" && store.IsPostgresDSN(dsn) {
		a.log.Info("calendars: no --secret-key-file or RHYTHM_SECRET_KEY; connected calendars are not synced")
		close(done)
		return done, nil
	} else if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	w, err := cf.worker(db, box, fmt.Sprintf("%s-%d", host, os.Getpid()), a.log)
	if err != nil {
		return nil, err
	}
	go func() { defer close(done); w.Run(ctx) }()
	return done, nil
}
