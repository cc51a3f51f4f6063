package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	rhythmapp "github.com/rhythm-team/rhythm/app"
)

func (a *app) userCommand() *cobra.Command {
	var dsn string
	cmd := groupCommand("user", "Manage the people who sign in to the web app and API", "  rhythm user list")
	persistentDBFlag(cmd, &dsn)

	var (
		isAdmin      bool
		role, name   string
		passwordFile string
	)
	add := &cobra.Command{
		Use:   "add EMAIL",
		Short: "Add a user; the password is read from standard input or --password-file",
		Example: `  rhythm user add --admin ana@example.com            # asks for the password
  printf '%s\n' "$PASSWORD" | rhythm user add --role lead kenji@example.com`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isAdmin {
				role = string(account.Admin)
			}
			if _, err := account.ParseRole(role); err != nil {
				return usagef("--role: %v", err)
			}
			pw, err := a.readPassword(passwordFile)
			if err != nil {
				return err
			}
			return withCreatedApp(cmd, dsn, func(uc *rhythmapp.App) error {
				u, err := uc.CreateUser(cmd.Context(), rhythmapp.System(""), rhythmapp.NewUser{Email: args[0], Name: name, Role: role, Password: pw})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "added %s user %s (id %d)\n", u.Role, u.Email, u.ID)
				return nil
			})
		},
	}
	add.Flags().BoolVar(&isAdmin, "admin", false, "make the user an admin (same as --role admin)")
	add.Flags().StringVar(&role, "role", "member", "admin, lead or member")
	add.Flags().StringVar(&name, "name", "", "display name (default: the part of the email before @)")
	add.Flags().StringVar(&passwordFile, "password-file", "", "read the password from this file (first line)")

	var listJSON bool
	list := &cobra.Command{
		Use:     "list",
		Short:   "List users",
		Example: "  rhythm user list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, dsn, func(uc *rhythmapp.App) error {
				users, err := uc.Users(cmd.Context(), rhythmapp.System(""))
				if err != nil {
					return err
				}
				if listJSON {
					return writeNDJSON(a.stdout, users)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE")
				for _, u := range users {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "one JSON object per line")

	var tokenName string
	token := &cobra.Command{
		Use:   "token EMAIL",
		Short: "Make an API token for a user and print it (shown only once)",
		Example: `  rhythm user token ana@example.com --name ci
  curl -H "Authorization: Bearer $(rhythm user token ana@example.com --name ci)" localhost:8080/api/v1/teams`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(tokenName) == "" {
				return usagef("--name: give the token a name")
			}
			return withApp(cmd, dsn, func(uc *rhythmapp.App) error {
				_, secret, err := uc.CreateToken(cmd.Context(), rhythmapp.System(""), args[0], tokenName)
				if err != nil {
					return namedArg(err)
				}
				fmt.Fprintln(a.stdout, secret)
				return nil
			})
		},
	}
	token.Flags().StringVar(&tokenName, "name", "cli", "what the token is for")

	cmd.AddCommand(add, list, token, a.userTokensCommand(&dsn), a.userRevokeCommand(&dsn))
	return cmd
}

func (a *app) userTokensCommand(dsn *string) *cobra.Command {
	var asJSON bool
	var tz string
	c := &cobra.Command{
		Use:     "tokens EMAIL",
		Short:   "List a user's API tokens (names and dates; the secrets are never stored)",
		Example: "  rhythm user tokens ana@example.com",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := zoneOf(tz)
			if err != nil {
				return err
			}
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				tokens, err := uc.TokensOf(cmd.Context(), rhythmapp.System(""), args[0])
				if err != nil {
					return namedArg(err)
				}
				if asJSON {
					return writeNDJSON(a.stdout, tokens)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintf(tw, "ID\tNAME\tCREATED (%s)\tLAST USED\tSTATE\n", loc)
				for _, t := range tokens {
					used, state := "never", "active"
					if !t.LastUsedAt.IsZero() {
						used = stamp(t.LastUsedAt, loc)
					}
					if t.Revoked {
						state = "revoked"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, stamp(t.CreatedAt, loc), used, state)
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per line")
	zoneFlag(c.Flags(), &tz)
	return c
}

func (a *app) userRevokeCommand(dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke EMAIL TOKEN",
		Short: "Revoke a user's API token, named by its id or its name (see user tokens)",
		Example: `  rhythm user revoke ana@example.com ci
  rhythm user revoke ana@example.com 3`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, *dsn, func(uc *rhythmapp.App) error {
				ctx, who := cmd.Context(), rhythmapp.System("")
				tokens, err := uc.TokensOf(ctx, who, args[0])
				if err != nil {
					return namedArg(err)
				}
				t, err := pickToken(tokens, args[1])
				if err != nil {
					return namedArg(err)
				}
				if err := uc.RevokeTokenOf(ctx, who, args[0], t.ID); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "revoked token %d (%s) of %s; requests with it now answer 401\n", t.ID, t.Name, args[0])
				return nil
			})
		},
	}
}

// pickToken finds the active token named by id or name; a name shared by
// several active tokens must be given as an id.
func pickToken(tokens []account.Token, arg string) (account.Token, error) {
	var found []account.Token
	for _, t := range tokens {
		if !t.Revoked && (strconv.FormatInt(t.ID, 10) == arg || strings.EqualFold(t.Name, arg)) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return account.Token{}, rhythm.Errorf(rhythm.ENOTFOUND, "no active token %q (rhythm user tokens EMAIL lists them)", arg)
	}
	ids := make([]string, len(found))
	for i, t := range found {
		ids[i] = strconv.FormatInt(t.ID, 10)
	}
	return account.Token{}, rhythm.Errorf(rhythm.EINVALID, "%d active tokens are named %q: give the id (%s)", len(found), arg, strings.Join(ids, ", "))
}

// readPassword reads a password from a file, a terminal prompt (without
// echo) or the first line of standard input.
func (a *app) readPassword(file string) (string, error) {
	var r io.Reader = a.stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", usagef("--password-file: %v", err)
		}
		defer f.Close()
		r = f
	} else if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
