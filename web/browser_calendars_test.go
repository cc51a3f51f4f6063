package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/internal/browsertest"
	"github.com/rhythm-team/rhythm/internal/outbound"
	"github.com/rhythm-team/rhythm/internal/secret"
)

// TestBrowserConnectCalendar: a member connects their calendar link on the
// Calendars page, sees it synced, and Find a time then proposes another
// time than the one their calendar says they are busy at.
func TestBrowserConnectCalendar(t *testing.T) {
	ctx := browsertest.New(t)
	f := newSQLiteFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()

	// The best time for the whole team before any calendar is known.
	body := `{"team":"Alpha","duration":"30m","between":["2026-03-02","2026-03-06"],"top":1}`
	w := f.request(t, "member", "POST", "/api/v1/schedule", strings.NewReader(body), jsonHeader)
	var first struct {
		Slots []struct{ Start, End time.Time }
	}
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &first) != nil || len(first.Slots) != 1 {
		t.Fatalf("schedule: %d %s", w.Code, w.Body)
	}
	busy := first.Slots[0]
	cal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:busy@test\r\nDTSTAMP:20260101T000000Z\r\n"+
			"DTSTART:%s\r\nDTEND:%s\r\nATTENDEE:mailto:member@example.com\r\nATTENDEE:mailto:x@other.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			busy.Start.Add(-time.Hour).UTC().Format("20060102T150405Z"), busy.End.Add(time.Hour).UTC().Format("20060102T150405Z"))
	}))
	defer cal.Close()
	box, _ := secret.New(make([]byte, secret.KeySize))
	f.srv.app.WithCalendars(app.CalendarConfig{Box: box, Policy: outbound.Policy{Allow: []string{"127.0.0.1"}}, Back: 400 * 24 * time.Hour, Ahead: 400 * 24 * time.Hour})

	find := func(when, notes *string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(fmt.Sprintf("%s/teams/%d", ts.URL, f.teamA.ID)),
			chromedp.WaitVisible("#find-time", chromedp.ByID),
			chromedp.Click("#find-time", chromedp.ByID),
			chromedp.WaitVisible("#finder", chromedp.ByID),
			chromedp.SetValue("#duration", "30m", chromedp.ByID),
			chromedp.SetValue("#from", "2026-03-02", chromedp.ByID),
			chromedp.SetValue("#to", "2026-03-06", chromedp.ByID),
			chromedp.Click("#find", chromedp.ByID),
			chromedp.WaitVisible("#slots", chromedp.ByID),
			chromedp.Text("#slots tbody tr:first-child td:nth-child(2)", when, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#proposal").textContent`, notes),
		}
	}
	var before, after, notesBefore, notesAfter, state, notice string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		signInAs("member@example.com"),
		find(&before, &notesBefore),
		chromedp.Navigate(fmt.Sprintf("%s/teams/%d", ts.URL, f.teamA.ID)),
		chromedp.WaitVisible("#calendars-link", chromedp.ByID),
		chromedp.Click("#calendars-link", chromedp.ByID),
		chromedp.WaitVisible("#connect-calendar", chromedp.ByID),
		chromedp.SendKeys("#ics_url", cal.URL+"/private-k3y/basic.ics", chromedp.ByID),
		chromedp.Click("#connect", chromedp.ByID),
		chromedp.WaitVisible("#notice", chromedp.ByID),
		chromedp.Text("#notice", &notice, chromedp.ByID),
		chromedp.Text("#calendars .calendar-state", &state, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if state != "synced, 1 event" {
		t.Fatalf("state %q (notice %q), want synced, 1 event", state, notice)
	}
	browsertest.Screenshot(t, ctx, "calendars-desktop")
	var overflow bool
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#calendars", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "calendars-phone")
	if overflow {
		t.Error("the Calendars page scrolls sideways at 390 px")
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, find(&after, &notesAfter)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if before == after {
		t.Errorf("Find a time still proposes %q first, where the member's calendar is busy", before)
	}
	if !strings.Contains(notesAfter, "no calendar connected for") || strings.Contains(notesBefore, "no calendar connected for") {
		t.Errorf("notes before %q, after %q: want the members without a calendar named after one was connected", notesBefore, notesAfter)
	}
}
