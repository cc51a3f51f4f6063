// Package icsfeed fetches calendar subscription links (Google's secret
// address in iCal format, Outlook's published ICS links, Apple, Fastmail and
// Nextcloud public links) with conditional requests, so that an unchanged
// calendar is not downloaded or read again. The body is read by ical/.
package icsfeed

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/internal/outbound"
)

// Validators are what a server said about the last version fetched.
type Validators struct {
	ETag         string
	LastModified string
}

// Result is one fetch.
type Result struct {
	// NotModified is true when the server answered 304: Body is nil and
	// the stored events stand.
	NotModified bool
	Body        []byte
	Validators  Validators
}

// Fetcher fetches links through an outbound client.
type Fetcher struct {
	Client   *http.Client // an outbound.Policy client
	MaxBytes int64        // 0 means outbound.DefaultMaxBytes
}

// Fetch gets link, sending the validators of the last fetch. Errors are
// written for the person who pasted the link, and never hold it in full.
func (f *Fetcher) Fetch(ctx context.Context, link string, last Validators) (Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, webcal(link), nil)
	if err != nil {
		return Result{}, rhythm.Errorf(rhythm.EINVALID, "%s is not a URL", outbound.Redact(link))
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	if last.ETag != "" {
		req.Header.Set("If-None-Match", last.ETag)
	}
	if last.LastModified != "" {
		req.Header.Set("If-Modified-Since", last.LastModified)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return Result{}, outbound.Clean(err)
	}
	defer resp.Body.Close()
	host := req.URL.Host
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return Result{NotModified: true, Validators: last}, nil
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return Result{}, rhythm.Errorf(rhythm.EUNAUTHORIZED, "%d from %s: the link was refused; it may have been reset — copy the current secret address", resp.StatusCode, host)
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return Result{}, rhythm.Errorf(rhythm.ENOTFOUND, "%d from %s: no calendar at this link any more", resp.StatusCode, host)
	case resp.StatusCode != http.StatusOK:
		return Result{}, fmt.Errorf("%d from %s", resp.StatusCode, host)
	}
	body, err := outbound.ReadAll(resp.Body, f.MaxBytes, "the calendar at "+host)
	if err != nil {
		return Result{}, outbound.Clean(err)
	}
	if !looksLikeCalendar(body) {
		if looksLikeHTML(resp.Header.Get("Content-Type"), body) {
			return Result{}, rhythm.Errorf(rhythm.EINVALID, "the link returned a web page, not a calendar: use the ICS link (Google: \"Secret address in iCal format\"; Outlook: the ICS link under \"Publish a calendar\")")
		}
		return Result{}, rhythm.Errorf(rhythm.EINVALID, "the link did not return a calendar (no BEGIN:VCALENDAR or BEGIN:VEVENT in it)")
	}
	return Result{Body: body, Validators: Validators{
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}}, nil
}

// webcal turns the webcal:// scheme that calendar apps offer into https.
func webcal(link string) string {
	if rest, ok := strings.CutPrefix(link, "webcal://"); ok {
		return "https://" + rest
	}
	if rest, ok := strings.CutPrefix(link, "webcals://"); ok {
		return "https://" + rest
	}
	return link
}

// head is how much of a body is looked at to tell what it is.
const head = 4096

func looksLikeCalendar(body []byte) bool {
	b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	b = bytes.ToUpper(b[:min(len(b), head)])
	return bytes.Contains(b, []byte("BEGIN:VCALENDAR")) || bytes.Contains(b, []byte("BEGIN:VEVENT"))
}

func looksLikeHTML(contentType string, body []byte) bool {
	if strings.HasPrefix(strings.ToLower(contentType), "text/html") {
		return true
	}
	b := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), head)]))
	return bytes.HasPrefix(b, []byte("<!doctype html")) || bytes.HasPrefix(b, []byte("<html"))
}

// Host returns the host of a link, for showing which server a connection
// reads without showing the secret part.
func Host(link string) string {
	u, err := url.Parse(webcal(link))
	if err != nil {
		return ""
	}
	return u.Host
}
