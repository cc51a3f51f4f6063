package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	rhythmapp "github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/team"
)

func (a *app) teamCommand() *cobra.Command {
	var dsn string
	cmd := groupCommand("team", "Import, list, show and export team rosters", "  rhythm team import team.yaml")
	persistentDBFlag(cmd, &dsn)

	importCmd := a.teamImportCommand(&dsn)

	listCmd := a.teamListCommand(&dsn)

	showCmd := a.teamShowCommand(&dsn)

	exportCmd := a.teamExportCommand(&dsn)

	cmd.AddCommand(importCmd, listCmd, showCmd, exportCmd)
	return cmd
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (a *app) teamImportCommand(dsn *string) *cobra.Command {
	importCmd := &cobra.Command{
		Use:     "import FILE",
		Short:   "Store a roster (team.yaml); a team of the same name is replaced",
		Example: "  rhythm team import team.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			t, err := team.ParseRoster(args[0], data)
			if err != nil {
				return err
			}
			return withCreatedApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				t, created, err := uc.SaveRoster(cmd.Context(), rhythmapp.System(""), t)
				if err != nil {
					return err
				}
				verb := "updated"
				if created {
					verb = "created"
				}
				fmt.Fprintf(a.stdout, "%s team %q (id %d) with %d members\n", verb, t.Name, t.ID, len(t.Members))
				return nil
			})
		},
	}
	return importCmd
}

func (a *app) teamListCommand(dsn *string) *cobra.Command {
	var listJSON bool
	listCmd := &cobra.Command{
		Use:     "list",
		Short:   "List teams",
		Example: "  rhythm team list",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				teams, err := uc.Teams(cmd.Context(), rhythmapp.System(""))
				if err != nil {
					return err
				}
				if listJSON {
					return writeNDJSON(a.stdout, teams)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tTEAM\tMEMBERS")
				for _, t := range teams {
					fmt.Fprintf(tw, "%d\t%s\t%d\n", t.ID, t.Name, t.Members)
				}
				return tw.Flush()
			})
		},
	}
	listCmd.Flags().BoolVar(&listJSON, "json", false, "one JSON object per line")
	return listCmd
}

func (a *app) teamShowCommand(dsn *string) *cobra.Command {
	var showJSON bool
	showCmd := &cobra.Command{
		Use:     "show NAME|ID",
		Short:   "Show a team's norms and members",
		Example: "  rhythm team show Platform --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				tm, err := uc.Team(cmd.Context(), rhythmapp.System(""), args[0])
				t := tm.Team
				if err != nil {
					return namedArg(err)
				}
				if showJSON {
					return json.NewEncoder(a.stdout).Encode(t)
				}
				n := t.Norms
				fmt.Fprintf(a.stdout, "%s (id %d)\nresponse window %s, meetings at most %s, no-meeting day %s, reports need %d people\n\n",
					t.Name, t.ID, n.ResponseWindow, n.MeetingMax, orNone(n.NoMeetingDay.String()), n.MinGroupSize)
				return writeMembers(a.stdout, t.Members)
			})
		},
	}
	showCmd.Flags().BoolVar(&showJSON, "json", false, "print the team as JSON")
	return showCmd
}

func (a *app) teamExportCommand(dsn *string) *cobra.Command {
	var out string
	exportCmd := &cobra.Command{
		Use:     "export NAME|ID",
		Short:   "Write a team's roster as YAML (the format team import reads)",
		Example: "  rhythm team export Platform > team.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				tm, err := uc.Team(cmd.Context(), rhythmapp.System(""), args[0])
				t := tm.Team
				if err != nil {
					return namedArg(err)
				}
				b, err := team.MarshalRoster(t)
				if err != nil {
					return err
				}
				if out == "" || out == "-" {
					_, err = a.stdout.Write(b)
					return err
				}
				return os.WriteFile(out, b, 0o644)
			})
		},
	}
	exportCmd.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of standard output")
	return exportCmd
}

// writeMembers prints the member table of team show. The ALIASES and DATES
// columns appear when some member has aliases or dates (start, leave,
// holidays), so a plain roster stays narrow.
func writeMembers(w io.Writer, members []team.Member) error {
	var aliases, dates bool
	for _, m := range members {
		aliases = aliases || len(m.Aliases) > 0
		dates = dates || memberDates(m) != ""
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := "NAME\tEMAIL\tZONE\tHOURS\tDAYS"
	if aliases {
		head += "\tALIASES"
	}
	if dates {
		head += "\tDATES"
	}
	fmt.Fprintln(tw, head)
	for _, m := range members {
		row := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", m.Name, m.Email, m.Zone, m.Hours, m.Days)
		if aliases {
			row += "\t" + orDash(strings.Join(m.Aliases, ", "))
		}
		if dates {
			row += "\t" + orDash(memberDates(m))
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

// memberDates says a member's start, leave and days off in a few words:
// "from 2026-01-05, until 2026-06-30, holidays DE-BE + 2 dates".
func memberDates(m team.Member) string {
	var parts []string
	if !m.Start.IsZero() {
		parts = append(parts, "from "+m.Start.String())
	}
	if !m.Leave.IsZero() {
		parts = append(parts, "until "+m.Leave.String())
	}
	var off []string
	if m.HolidayRegion != "" {
		off = append(off, m.HolidayRegion)
	}
	switch n := len(m.Holidays); {
	case n == 1:
		off = append(off, m.Holidays[0].String())
	case n > 1:
		off = append(off, fmt.Sprintf("%d dates", n))
	}
	if len(off) > 0 {
		parts = append(parts, "holidays "+strings.Join(off, " + "))
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
