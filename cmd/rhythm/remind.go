package main

import (
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rhythm-team/rhythm/remind"
)

// reminderFlags configure the reminder worker of `rhythm serve`.
type reminderFlags struct {
	slackURL, webhookURL, webhookSecret, webhookSecretFile string
	smtp                                                   remind.SMTP
	smtpPasswordFile                                       string
	before, interval                                       time.Duration
	publicURL                                              string
	slack                                                  slackFlags
}

func (f *reminderFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.slackURL, "remind-slack-url", "", "Slack-compatible incoming webhook URL for reminders (env RHYTHM_REMIND_SLACK_URL)")
	fl.StringVar(&f.webhookURL, "remind-webhook-url", "", "URL that receives reminders as JSON signed with HMAC-SHA256 (env RHYTHM_REMIND_WEBHOOK_URL)")
	fl.StringVar(&f.webhookSecret, "remind-webhook-secret", "", "shared secret that signs the JSON webhook (env RHYTHM_REMIND_WEBHOOK_SECRET)")
	fl.StringVar(&f.webhookSecretFile, "remind-webhook-secret-file", "", "read the webhook secret from this file")
	fl.StringVar(&f.smtp.Addr, "smtp-addr", "", "mail server host:port for email reminders (env RHYTHM_SMTP_ADDR)")
	fl.StringVar(&f.smtp.From, "smtp-from", "", "sender address of email reminders, e.g. \"rhythm <rhythm@example.com>\"")
	fl.StringVar(&f.smtp.Username, "smtp-user", "", "mail server user name, if it needs one")
	fl.StringVar(&f.smtp.Password, "smtp-password", "", "mail server password (env RHYTHM_SMTP_PASSWORD)")
	fl.StringVar(&f.smtpPasswordFile, "smtp-password-file", "", "read the mail server password from this file")
	fl.DurationVar(&f.before, "remind-before", remind.DefaultBefore, "send the due-soon reminder this long before a thread's due-by")
	fl.DurationVar(&f.interval, "remind-interval", remind.DefaultInterval, "how often the reminder worker looks for work")
	f.slack.register(cmd)
	fl.StringVar(&f.publicURL, "public-url", "", "the address people open rhythm at, for links in reminders and the single sign-on redirect URL (env RHYTHM_PUBLIC_URL)")
}

// senders returns the configured channels, or a usage error naming the
// flag that is wrong.
func (f *reminderFlags) senders() ([]remind.Sender, error) {
	var out []remind.Sender
	if f.before <= 0 || f.before > 7*24*time.Hour {
		return nil, usagef("--remind-before: must be more than 0 and at most 168h, got %s", f.before)
	}
	if f.interval < time.Second {
		return nil, usagef("--remind-interval: must be at least 1s, got %s", f.interval)
	}
	if f.publicURL != "" {
		if err := remind.CheckURL("--public-url", f.publicURL); err != nil {
			return nil, usageError{err}
		}
	}
	if err := f.slack.check(); err != nil {
		return nil, err
	}
	if dm := f.slack.sender(); dm != nil {
		out = append(out, dm)
	}
	if f.slackURL != "" {
		if err := remind.CheckURL("--remind-slack-url", f.slackURL); err != nil {
			return nil, usageError{err}
		}
		out = append(out, &remind.SlackWebhook{URL: f.slackURL})
	}
	if f.webhookURL != "" {
		if err := remind.CheckURL("--remind-webhook-url", f.webhookURL); err != nil {
			return nil, usageError{err}
		}
		secret, err := secretFrom(f.webhookSecret, f.webhookSecretFile, "--remind-webhook-secret")
		if err != nil {
			return nil, err
		}
		if len(secret) < 16 {
			return nil, usagef("--remind-webhook-secret: required with --remind-webhook-url, at least 16 characters")
		}
		out = append(out, &remind.JSONWebhook{URL: f.webhookURL, Secret: []byte(secret)})
	}
	if f.smtp.Addr != "" {
		pw, err := secretFrom(f.smtp.Password, f.smtpPasswordFile, "--smtp-password")
		if err != nil {
			return nil, err
		}
		f.smtp.Password = pw
		if err := f.smtp.Check(); err != nil {
			return nil, usagef("--%s", err.Error())
		}
		out = append(out, &remind.Email{SMTP: f.smtp})
	}
	return out, nil
}

// secretFrom returns the value, or the trimmed content of file when the
// value is empty.
func secretFrom(value, file, flag string) (string, error) {
	if value != "" && file != "" {
		return "", usagef("%s: give the value or %s-file, not both", flag, flag)
	}
	if file == "" {
		return value, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", usagef("%s-file: %v", flag, err)
	}
	return strings.TrimSpace(string(b)), nil
}
