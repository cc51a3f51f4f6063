package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

func (a *app) teamCommand() *cobra.Command {
	var dsn string
	cmd := groupCommand("team", "Import, list, show and export team rosters", "  rhythm team import team.yaml")
	persistentDBFlag(cmd, &dsn)

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
			return withCreatedDB(cmd, dsn, func(db *store.DB) error {
				t, created, err := db.SaveRoster(cmd.Context(), t)
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

	var listJSON bool
	listCmd := &cobra.Command{
		Use:     "list",
		Short:   "List teams",
		Example: "  rhythm team list",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, dsn, func(db *store.DB) error {
				teams, err := db.ListTeams(cmd.Context())
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

	var showJSON bool
	showCmd := &cobra.Command{
		Use:     "show NAME|ID",
		Short:   "Show a team's norms and members",
		Example: "  rhythm team show Platform --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDB(cmd, dsn, func(db *store.DB) error {
				t, err := db.Team(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if showJSON {
					return json.NewEncoder(a.stdout).Encode(t)
				}
				n := t.Norms
				fmt.Fprintf(a.stdout, "%s (id %d)\nresponse window %s, meetings at most %s, no-meeting day %s, reports need %d people\n\n",
					t.Name, t.ID, n.ResponseWindow, n.MeetingMax, orNone(n.NoMeetingDay.String()), n.MinGroupSize)
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tEMAIL\tZONE\tHOURS\tDAYS")
				for _, m := range t.Members {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Name, m.Email, m.Zone, m.Hours, m.Days)
				}
				return tw.Flush()
			})
		},
	}
	showCmd.Flags().BoolVar(&showJSON, "json", false, "print the team as JSON")

	var out string
	exportCmd := &cobra.Command{
		Use:     "export NAME|ID",
		Short:   "Write a team's roster as YAML (the format team import reads)",
		Example: "  rhythm team export Platform > team.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withDB(cmd, dsn, func(db *store.DB) error {
				t, err := db.Team(cmd.Context(), args[0])
				if err != nil {
					return err
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

	cmd.AddCommand(importCmd, listCmd, showCmd, exportCmd)
	return cmd
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
