package remind

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/team"
	"github.com/rhythm-team/rhythm/thread"
)

func testTeam(t *testing.T) *team.Team {
	t.Helper()
	tm, err := team.ParseRoster("team.yaml", []byte(`team: Platform
members:
  - {name: Ana Silva, email: ana@example.com, zone: Europe/Lisbon, hours: "09:00-17:00"}
  - {name: Kenji Sato, email: kenji@example.com, zone: Asia/Tokyo, hours: "10:00-18:00"}
  - {name: Liam Byrne, email: liam@example.com, zone: America/St_Johns, hours: "09:00-17:00"}
`))
	if err != nil {
		t.Fatal(err)
	}
	tm.ID = 3
	return &tm
}

func TestPlan(t *testing.T) {
	tm := testTeam(t)
	// Due Tuesday 10 March 2026 16:00 UTC: 16:00 in Lisbon, 01:00 Wednesday
	// in Tokyo, 13:30 in St John's (on daylight time since 8 March).
	due := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	th := thread.Thread{ID: 9, TeamID: 3, Title: "T", Owner: "ana@example.com", Participants: []string{"kenji@example.com", "liam@example.com"},
		DueBy: due, State: thread.Open, Responses: []thread.Response{}}
	type row struct {
		Member string
		Kind   Kind
		SendAt string
	}
	plan := func(now time.Time, th thread.Thread) []row {
		var out []row
		for _, r := range Plan(&th, tm, now, 4*time.Hour, []string{"slack"}) {
			out = append(out, row{r.Member, r.Kind, r.SendAt.UTC().Format("Jan 2 15:04")})
		}
		return out
	}
	tests := []struct {
		name string
		now  time.Time
		edit func(*thread.Thread)
		want []row
	}{
		{"too early", due.Add(-5 * time.Hour), nil, nil},
		// 12:00 UTC is 21:00 in Tokyo and 09:30 in St John's: Kenji's next
		// working time is after the due-by, so he gets no due-soon reminder
		// (only the overdue one, held until his morning).
		{"due soon", due.Add(-4 * time.Hour), nil, []row{{"liam@example.com", DueSoon, "Mar 10 12:00"}}},
		{"overdue: responders and the owner", due.Add(time.Minute), nil, []row{
			{"kenji@example.com", Overdue, "Mar 11 01:00"},
			{"liam@example.com", Overdue, "Mar 10 16:00"},
			{"ana@example.com", Overdue, "Mar 10 16:00"},
		}},
		{"responded: nothing for them", due.Add(-time.Hour), func(th *thread.Thread) {
			th.Responses = []thread.Response{{Member: "liam@example.com", Kind: thread.Ack}}
		}, nil},
		{"closed: nothing", due.Add(time.Hour), func(th *thread.Thread) { th.State = thread.Closed }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := th
			if tt.edit != nil {
				tt.edit(&th)
			}
			if diff := cmp.Diff(tt.want, plan(tt.now, th)); diff != "" {
				t.Errorf("Plan (-want +got):\n%s", diff)
			}
		})
	}
	if rs := Plan(&th, tm, due.Add(time.Hour), time.Hour, []string{"slack", "email"}); len(rs) != 6 {
		t.Errorf("two channels: %d reminders, want 6", len(rs))
	}
}

func TestSignVerify(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"id":1}`)
	now := time.Unix(1_770_000_000, 0)
	ts := "1770000000"
	sig := Sign(secret, ts, body)
	tests := []struct {
		name              string
		secret            []byte
		ts, sig           string
		body              []byte
		now               time.Time
		ok                bool
		errContains       string
		skipErrorContains bool
	}{
		{name: "valid", secret: secret, ts: ts, sig: sig, body: body, now: now, ok: true},
		{name: "other secret", secret: []byte("other"), ts: ts, sig: sig, body: body, now: now, errContains: "does not match"},
		{name: "changed body", secret: secret, ts: ts, sig: sig, body: []byte(`{"id":2}`), now: now, errContains: "does not match"},
		{name: "replayed later", secret: secret, ts: ts, sig: sig, body: body, now: now.Add(10 * time.Minute), errContains: "X-Rhythm-Timestamp"},
		{name: "bad timestamp", secret: secret, ts: "yesterday", sig: sig, body: body, now: now, errContains: "not a Unix time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.ts, tt.sig, tt.body, tt.now, 5*time.Minute)
			if tt.ok != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.errContains)) {
				t.Errorf("Verify = %v, want ok=%v (%q)", err, tt.ok, tt.errContains)
			}
		})
	}
}

func message() Message {
	return Message{ID: 42, Kind: Overdue, Team: "Platform", Title: "Pick the Q2 goal", Member: "kenji@example.com", Name: "Kenji Sato",
		Text: "Overdue: Kenji Sato, please respond to \"Pick the Q2 goal\"."}
}

func TestSlackWebhook(t *testing.T) {
	var got map[string]string
	var delivery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		delivery = r.Header.Get(HeaderDelivery)
		json.NewDecoder(r.Body).Decode(&got)
	}))
	defer srv.Close()
	if err := (&SlackWebhook{URL: srv.URL}).Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"text": message().Text}, got); diff != "" || delivery != "42" {
		t.Errorf("Slack payload (-want +got):\n%s; delivery %q", diff, delivery)
	}
}

func TestWebhookErrorsHideThePath(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusBadGateway)
	}))
	defer srv.Close()
	err := (&SlackWebhook{URL: srv.URL + "/services/T000/B000/XXXXSECRET"}).Send(context.Background(), message())
	if err == nil || strings.Contains(err.Error(), "XXXXSECRET") || !strings.Contains(err.Error(), "502") {
		t.Errorf("err = %v, want the status without the URL's secret path", err)
	}
}

// TestEmail sends through a minimal SMTP server and reads the message.
func TestEmail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go fakeSMTP(ln, got)
	e := &Email{SMTP: SMTP{Addr: ln.Addr().String(), From: "rhythm <rhythm@example.com>"}, Now: func() time.Time { return time.Unix(0, 0) }}
	if err := e.SMTP.Check(); err != nil {
		t.Fatal(err)
	}
	if err := e.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"MAIL FROM:<rhythm@example.com>", "RCPT TO:<kenji@example.com>", "Subject: Overdue: Pick the Q2 goal",
		`To: "Kenji Sato" <kenji@example.com>`, "Overdue: Kenji Sato, please respond"} {
		if !strings.Contains(msg, want) {
			t.Errorf("SMTP session lacks %q:\n%s", want, msg)
		}
	}
	if err := (SMTP{Addr: "mail.example.com", From: "x"}).Check(); err == nil || !strings.HasPrefix(err.Error(), "smtp-addr:") {
		t.Errorf("bad SMTP settings: %v", err)
	}
}

// fakeSMTP answers one SMTP session and sends its transcript to got.
func fakeSMTP(ln net.Listener, got chan<- string) {
	c, err := ln.Accept()
	if err != nil {
		got <- ""
		return
	}
	defer c.Close()
	var log strings.Builder
	rd := bufio.NewReader(c)
	say := func(s string) { io.WriteString(c, s+"\r\n") }
	say("220 fake ESMTP")
	inData := false
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			got <- log.String()
			return
		}
		log.WriteString(line)
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case inData:
			if strings.TrimSpace(line) == "." {
				inData = false
				say("250 queued")
			}
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-fake")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "DATA"):
			inData = true
			say("354 go ahead")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			got <- log.String()
			return
		default:
			say("250 ok")
		}
	}
}
