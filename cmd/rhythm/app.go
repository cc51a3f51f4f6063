package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rhythm-team/rhythm"
)

// app holds what every command shares: the standard streams and the logger.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	configFile     string
	logLevel       string
	logFormat      string
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, nil))}
}

// usageError marks bad usage: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exit prints err as one line on stderr and returns the exit code.
func (a *app) exit(err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, errFindings) {
		return 1
	}
	msg := err.Error()
	if code := rhythm.ErrorCode(err); code != rhythm.EINTERNAL {
		msg = rhythm.ErrorMessage(err)
	}
	fmt.Fprintln(a.stderr, "rhythm: "+strings.ReplaceAll(strings.TrimSpace(msg), "\n", " "))
	var ue usageError
	if errors.As(err, &ue) || rhythm.ErrorCode(err) == rhythm.EINVALID || strings.HasPrefix(msg, "unknown command") {
		return 2
	}
	return 1
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "rhythm",
		Short: "Async by default, sync on purpose: decide, schedule and measure how a distributed team communicates",
		Long: `rhythm helps a distributed team decide per interaction whether to go async, sync or hybrid,
run hybrid rhythms, schedule the sync part fairly across time zones, and measure the
sync:async balance on the team's own calendar, chat and mail metadata.

Every flag can also be set with an environment variable RHYTHM_<FLAG> (e.g. RHYTHM_DB)
or in a YAML config file (--config, RHYTHM_CONFIG) with one key per flag name;
flags win over the environment, which wins over the file.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.configure,
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&a.configFile, "config", "", "YAML config file with one key per flag name (env RHYTHM_CONFIG)")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "text", "log format: text (key=value) or json (one object per line)")
	root.AddCommand(
		a.serveCommand(),
		a.teamCommand(),
		a.userCommand(),
		a.threadCommand(),
		a.decisionCommand(),
		a.playbookCommand(),
		a.lintCommand(),
		a.decideCommand(),
		a.storeCommand(),
		a.backupCommand(),
		a.restoreCommand(),
		a.pulseCommand(),
		a.experimentCommand(),
		a.icalCommand(),
		a.importCommand(),
		a.genCommand(),
		a.auditCommand(),
		a.scheduleCommand(),
		a.calendarCommand(),
		a.slackCommand(),
	)
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

// groupCommand returns a command that only holds subcommands: run without
// one it prints help; with an unknown one it is a usage error.
func groupCommand(use, short, example string) *cobra.Command {
	return &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
}

// wrapArgs makes argument-count errors usage errors, in c and below.
func wrapArgs(c *cobra.Command) {
	if v := c.Args; v != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := v(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

// configure fills every flag the user did not set from RHYTHM_<FLAG> in the
// environment, then from the config file.
func (a *app) configure(cmd *cobra.Command, _ []string) error {
	file := map[string]any{}
	path := a.configFile
	if path == "" {
		path = os.Getenv("RHYTHM_CONFIG")
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return usagef("config file: %v", err)
		}
		if err := yaml.Unmarshal(b, &file); err != nil {
			return usagef("%s: %s", path, strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
		}
		if err := checkConfigKeys(cmd.Root(), path, b); err != nil {
			return err
		}
	}
	var ferr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if ferr != nil || f.Changed || f.Name == "config" || f.Name == "help" {
			return
		}
		env := "RHYTHM_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil {
				ferr = usagef("%s: %v", env, err)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if err := f.Value.Set(fmt.Sprint(v)); err != nil {
				ferr = usagef("%s: %s: %v", path, f.Name, err)
			}
		}
	})
	if ferr != nil {
		return ferr
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return usagef("--log-level: %q is not one of debug, info, warn, error", a.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch a.logFormat {
	case "text":
		a.log = slog.New(slog.NewTextHandler(a.stderr, opts))
	case "json":
		a.log = slog.New(slog.NewJSONHandler(a.stderr, opts))
	default:
		return usagef("--log-format: %q is not one of text, json", a.logFormat)
	}
	return nil
}

// namedArg makes "not found" for a user or team that the command line
// named bad input (exit 2), as a typo is; other errors pass unchanged.
func namedArg(err error) error {
	if rhythm.ErrorCode(err) == rhythm.ENOTFOUND {
		return usagef("%s", rhythm.ErrorMessage(err))
	}
	return err
}
