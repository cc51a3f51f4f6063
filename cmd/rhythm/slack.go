package main

import (
	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/remind"
	"github.com/rhythm-team/rhythm/slack"
)

// slackFlags are the Slack app's settings of rhythm serve. The values are
// secrets: they are never logged.
type slackFlags struct {
	signingSecret, botToken, apiURL string
}

func (f *slackFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.signingSecret, "slack-signing-secret", "", "the Slack app's signing secret, which verifies every request from Slack; without it the /slack endpoints are off (env RHYTHM_SLACK_SIGNING_SECRET)")
	fs.StringVar(&f.botToken, "slack-bot-token", "", "the Slack app's bot token (xoxb-…), for users.info, modals and reminders as direct messages (env RHYTHM_SLACK_BOT_TOKEN)")
	fs.StringVar(&f.apiURL, "slack-api-url", "", "the Slack Web API base URL; default Slack's own (env RHYTHM_SLACK_API_URL)")
}

// check refuses settings that cannot work.
func (f *slackFlags) check() error {
	if f.apiURL != "" {
		if err := remind.CheckURL("--slack-api-url", f.apiURL); err != nil {
			return usageError{err}
		}
	}
	if f.botToken != "" && f.signingSecret == "" {
		return usagef("--slack-bot-token: give --slack-signing-secret too; the Slack app needs both")
	}
	return nil
}

// config returns the Slack app's settings for the server.
func (f *slackFlags) config(publicURL string) slack.Config {
	return slack.Config{SigningSecret: f.signingSecret, BotToken: f.botToken, APIURL: f.apiURL, PublicURL: publicURL}
}

// sender returns the reminder channel of direct messages, or nil without
// a bot token.
func (f *slackFlags) sender() remind.Sender {
	if f.botToken == "" {
		return nil
	}
	return remind.NewSlackDM(f.botToken, f.apiURL, nil)
}

func (a *app) slackCommand() *cobra.Command {
	cmd := groupCommand("slack", "Set up the Slack app",
		"  rhythm slack manifest --url https://rhythm.example.com")
	cmd.AddCommand(a.slackManifest())
	return cmd
}

func (a *app) slackManifest() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Print the Slack app manifest for a server's public URL",
		Long: "Print the app manifest (the /rhythm command, event subscriptions, interactivity and the\n" +
			"minimal bot scopes) to paste into Slack's \"Create New App → From an app manifest\".",
		Example: "  rhythm slack manifest --url https://rhythm.example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				return usagef("--url: give the https address of the rhythm server, e.g. --url https://rhythm.example.com")
			}
			m, err := slack.Manifest(url)
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(m)
			return err
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "the https address people and Slack reach the server at (env RHYTHM_URL)")
	return cmd
}
