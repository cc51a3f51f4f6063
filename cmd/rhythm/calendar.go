package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm"
	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/calendar"
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

// config returns the live calendar settings for the use cases.
func (f *calendarFlags) config(dsn string, create bool) (*rhythmapp.CalendarConfig, error) {
	box, err := f.box(dsn, create)
	if err != nil {
		return nil, err
	}
	pol, err := f.policy()
	if err != nil {
		return nil, err
	}
	return &rhythmapp.CalendarConfig{Box: box, Policy: pol, MaxBytes: f.maxMB << 20, Every: f.every}, nil
}

// useCases returns the use cases with live calendars enabled.
func (f *calendarFlags) useCases(db *store.DB, dsn string, create bool) (*rhythmapp.App, error) {
	cfg, err := f.config(dsn, create)
	if err != nil {
		return nil, err
	}
	return rhythmapp.New(db, nil).WithCalendars(*cfg), nil
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
	uc, err := cf.useCases(db, dsn, true)
	if err != nil {
		return err
	}
	v, err := uc.ConnectCalendar(ctx, rhythmapp.System(""), teamRef, rhythmapp.CalendarInput{Team: member == "", Member: member,
		ICSURL: icsURL, CalDAV: davURL, Username: username, Password: password, Calendar: calName})
	if msg := rhythm.ErrorMessage(err); rhythm.ErrorCode(err) == rhythm.EINVALID && (strings.HasPrefix(msg, "member: ") || strings.HasPrefix(msg, "calendar: ")) {
		return usagef("--%s", msg)
	} else if err != nil {
		return teamFlagError(err)
	}
	whose := "the team"
	if v.Member != "" {
		whose = v.Member
	}
	fmt.Fprintf(a.stdout, "connected calendar %d (%s at %s) for %s; it syncs with the server, or now with: rhythm calendar sync --team %q\n",
		v.ID, v.Kind, v.Host, whose, teamRef)
	return nil
}

func (a *app) calendarList(dsn *string) *cobra.Command {
	var teamRef, tz string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List a team's calendar connections and how their last sync went",
		Example: "  rhythm calendar list --team Platform",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := zoneOf(tz)
			if err != nil {
				return err
			}
			return withDB(cmd, *dsn, func(db *store.DB) error {
				views, err := rhythmapp.New(db, nil).Calendars(cmd.Context(), rhythmapp.System(""), teamRef)
				if err != nil {
					return teamFlagError(err)
				}
				if asJSON {
					return writeNDJSON(a.stdout, views)
				}
				return writeCalendars(a.stdout, views, loc)
			})
		},
	}
	cmd.Flags().StringVar(&teamRef, "team", "", "the team (name or id)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	zoneFlag(cmd.Flags(), &tz)
	cmd.MarkFlagRequired("team")
	return cmd
}

// writeCalendars lists connections with their last sync in loc.
func writeCalendars(w io.Writer, recs []rhythmapp.CalendarView, loc *time.Location) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "no calendars connected; add one with: rhythm calendar add --team T --member EMAIL --ics-url URL")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tWHOSE\tKIND\tSERVER\tCALENDAR\tLAST SYNC (%s)\tSTATE\n", loc)
	for _, r := range recs {
		whose := r.Member
		if whose == "" {
			whose = "(team)"
		}
		last := "-"
		if !r.LastSuccess.IsZero() {
			last = stamp(r.LastSuccess, loc)
		}
		name := r.CalendarName
		if name == "" {
			name = "…" + r.Hint
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, whose, r.Kind, r.Host, name, last, r.State)
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
	who := rhythmapp.System("")
	views, err := rhythmapp.New(db, nil).Calendars(ctx, who, teamRef)
	if err != nil {
		return teamFlagError(err)
	}
	if len(views) == 0 {
		return usagef("team %q has no calendars connected", teamRef)
	}
	uc, err := cf.useCases(db, dsn, false)
	if err != nil {
		return err
	}
	step, done := a.terminalProgress("syncing calendars")
	defer done()
	failed := 0
	for i, v := range views {
		if step != nil {
			step(v.Host, int64(i))
		}
		after, err := uc.SyncCalendar(ctx, who, teamRef, v.ID)
		if rhythm.ErrorCode(err) == rhythm.ECONFLICT {
			fmt.Fprintf(a.stdout, "calendar %d: a server is syncing it right now\n", v.ID)
			continue
		} else if err != nil {
			return err
		}
		if after.LastError != "" {
			failed++
		}
		fmt.Fprintf(a.stdout, "calendar %d (%s): %s\n", v.ID, v.Host, after.State)
		if after.LastError == "" {
			a.printCalendarWarnings(after.Record)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d calendars failed to sync", failed, len(views))
	}
	return nil
}

// printCalendarWarnings prints the warnings of a connection's last sync
// after the first, which its state says.
func (a *app) printCalendarWarnings(r calendar.Record) {
	for _, w := range r.WarningNotes[min(1, len(r.WarningNotes)):] {
		fmt.Fprintf(a.stdout, "  warning: %s\n", w)
	}
	if more := r.MoreWarnings(); more > 0 && len(r.WarningNotes) > 0 {
		fmt.Fprintf(a.stdout, "  … %d more\n", more)
	}
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
				rec, err := db.CalendarConnection(cmd.Context(), id)
				if err != nil {
					return err
				}
				if err := rhythmapp.New(db, nil).RemoveCalendar(cmd.Context(), rhythmapp.System(""), strconv.FormatInt(rec.TeamID, 10), id); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "removed calendar %d and the events read from it\n", id)
				return nil
			})
		},
	}
}

// serveCalendars returns the live calendar settings of a server, or nil
// with a log line when it has no key (PostgreSQL without
// --secret-key-file): then calendars are off.
func (a *app) serveCalendars(dsn string, cf *calendarFlags) (*rhythmapp.CalendarConfig, error) {
	cfg, err := cf.config(dsn, true)
	if err != nil && cf.secretKey == "" && cf.secretKeyFile == "" && store.IsPostgresDSN(dsn) {
		a.log.Info("calendars: no --secret-key-file or RHYTHM_SECRET_KEY; live calendars are off")
		return nil, nil
	}
	return cfg, err
}

// startCalendarWorker syncs connected calendars in the background and
// returns a channel closed when the worker has stopped.
func (a *app) startCalendarWorker(ctx context.Context, db *store.DB, cfg *rhythmapp.CalendarConfig) (<-chan struct{}, error) {
	done := make(chan struct{})
	if cfg == nil {
		close(done)
		return done, nil
	}
	w, err := rhythmapp.New(db, nil).WithCalendars(*cfg).CalendarWorker()
	if err != nil {
		return nil, err
	}
	w.Log = a.log
	go func() { defer close(done); w.Run(ctx) }()
	return done, nil
}
