package remind

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
)

// Headers of the signed JSON webhook.
const (
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256, keyed with the
	// shared secret, of the timestamp, a dot and the body.
	HeaderSignature = "X-Rhythm-Signature"
	// HeaderTimestamp is the Unix time the request was signed.
	HeaderTimestamp = "X-Rhythm-Timestamp"
	// HeaderDelivery is the reminder's id: the same on every retry.
	HeaderDelivery = "X-Rhythm-Delivery"
)

// sendTimeout bounds one delivery attempt.
const sendTimeout = 15 * time.Second

var defaultClient = &http.Client{Timeout: sendTimeout}

// CheckURL returns an EINVALID error naming field unless u is an absolute
// http(s) URL.
func CheckURL(field, u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return rhythm.Errorf(rhythm.EINVALID, "%s: %q is not an http(s) URL", field, u)
	}
	return nil
}

// SlackWebhook posts {"text": …} to a Slack-compatible incoming webhook
// (Slack, Mattermost, Rocket.Chat, Teams workflows that accept it).
type SlackWebhook struct {
	URL    string
	Client *http.Client // nil means a client with a 15 s timeout
}

// Channel implements Sender.
func (s *SlackWebhook) Channel() string { return "slack" }

// Send implements Sender.
func (s *SlackWebhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(map[string]string{"text": m.Text})
	if err != nil {
		return err
	}
	return post(ctx, s.Client, s.URL, body, map[string]string{HeaderDelivery: strconv.FormatInt(m.ID, 10)})
}

// JSONWebhook posts the Message as JSON, signed with HMAC-SHA256.
type JSONWebhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	// Now returns the signing time; nil means time.Now.
	Now func() time.Time
}

// Channel implements Sender.
func (s *JSONWebhook) Channel() string { return "webhook" }

// Send implements Sender.
func (s *JSONWebhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	return post(ctx, s.Client, s.URL, body, map[string]string{
		HeaderTimestamp: ts,
		HeaderSignature: Sign(s.Secret, ts, body),
		HeaderDelivery:  strconv.FormatInt(m.ID, 10),
	})
}

// Sign returns the X-Rhythm-Signature value for a body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signed webhook request as a receiver would: the
// signature must match and the timestamp lie within tolerance of now.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%s: %q is not a Unix time", HeaderTimestamp, timestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%s: signed %s ago, more than the %s allowed", HeaderTimestamp, d, tolerance)
	}
	if !hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature)) {
		return fmt.Errorf("%s does not match the body", HeaderSignature)
	}
	return nil
}

func post(ctx context.Context, c *http.Client, u string, body []byte, headers map[string]string) error {
	if c == nil {
		c = defaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "rhythm-reminders")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", redact(u), unwrapURLError(err))
	}
	defer res.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 200))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("POST %s: %s %s", redact(u), res.Status, strings.TrimSpace(strings.ToValidUTF8(string(snippet), "?")))
	}
	return nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// redact keeps a webhook URL's host and hides its path, which often holds
// the webhook's secret token.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "webhook"
	}
	return p.Scheme + "://" + p.Host + "/…"
}

// SMTP is the mail server reminders are sent through.
type SMTP struct {
	// Addr is host:port; port 465 means TLS from the start, any other
	// port uses STARTTLS when the server offers it.
	Addr     string
	From     string
	Username string
	Password string
}

// Check returns an EINVALID error naming the first bad setting.
func (c SMTP) Check() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return rhythm.Errorf(rhythm.EINVALID, "smtp-addr: %q is not host:port", c.Addr)
	}
	if a, err := mail.ParseAddress(c.From); err != nil || a.Address == "" {
		return rhythm.Errorf(rhythm.EINVALID, "smtp-from: %q is not an email address", c.From)
	}
	return nil
}

// Email sends reminders to the member's address.
type Email struct {
	SMTP SMTP
	// Now returns the Date header's time; nil means time.Now.
	Now func() time.Time
}

// Channel implements Sender.
func (e *Email) Channel() string { return "email" }

// Send implements Sender.
func (e *Email) Send(ctx context.Context, m Message) error {
	if _, err := mail.ParseAddress(m.Member); err != nil {
		return fmt.Errorf("recipient %q: %v", m.Member, err)
	}
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	from, _ := mail.ParseAddress(e.SMTP.From)
	subject := "Due soon: " + m.Title
	if m.Kind == Overdue {
		subject = "Overdue: " + m.Title
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", from.String(), (&mail.Address{Name: m.Name, Address: m.Member}).String(),
		mime.QEncoding.Encode("utf-8", subject), now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <reminder-%d@rhythm>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n", m.ID)
	fmt.Fprintf(&b, "Auto-Submitted: auto-generated\r\n\r\n%s\r\n", strings.ReplaceAll(m.Text, "\n", "\r\n"))
	return e.send(ctx, from.Address, m.Member, []byte(b.String()))
}

func (e *Email) send(ctx context.Context, from, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	host, port, _ := net.SplitHostPort(e.SMTP.Addr)
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", e.SMTP.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", e.SMTP.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if port == "465" {
		conn = tlsClient(conn, host)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", e.SMTP.Addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && port != "465" {
		if err := c.StartTLS(tlsConfig(host)); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", e.SMTP.Addr, err)
		}
	}
	if e.SMTP.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", e.SMTP.Username, e.SMTP.Password, host)); err != nil {
			return fmt.Errorf("smtp %s: auth: %w", e.SMTP.Addr, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp RCPT TO %s: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return c.Quit()
}
