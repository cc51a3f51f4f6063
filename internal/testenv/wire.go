package testenv

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"sync"
)

// Wire records the requests an HTTP client sends and what came back, to
// check what a sync asked for and downloaded.
type Wire struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []Request
}

// Request is one request as Wire saw it.
type Request struct {
	Method string
	Path   string
	// Report is the name of a REPORT's body element (sync-collection,
	// calendar-multiget), "" for other methods.
	Report string
	Status int
	// Calendars counts the calendar bodies (BEGIN:VCALENDAR) in the answer.
	Calendars int
}

// Record makes c's requests go through a new Wire and returns it.
func Record(c *http.Client) *Wire {
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	w := &Wire{next: next}
	c.Transport = w
	return w
}

// RoundTrip sends r and records it.
func (w *Wire) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := Request{Method: r.Method, Path: r.URL.Path}
	if r.Method == "REPORT" && r.GetBody != nil {
		if body, err := r.GetBody(); err == nil {
			var root struct{ XMLName xml.Name }
			if xml.NewDecoder(body).Decode(&root) == nil {
				rec.Report = root.XMLName.Local
			}
			body.Close()
		}
	}
	resp, err := w.next.RoundTrip(r)
	if err == nil {
		data, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(data))
		if rerr != nil {
			return nil, rerr
		}
		rec.Status = resp.StatusCode
		rec.Calendars = bytes.Count(data, []byte("BEGIN:VCALENDAR"))
	}
	w.mu.Lock()
	w.sent = append(w.sent, rec)
	w.mu.Unlock()
	return resp, err
}

// Take returns the requests recorded since the last Take.
func (w *Wire) Take() []Request {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.sent
	w.sent = nil
	return out
}
