package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ical"
)

// maxCalendarUpload limits calendars sent to the API.
const maxCalendarUpload = 64 << 20

// expandResponse is the JSON answer of POST /api/v1/ical/expand.
type expandResponse struct {
	Zone       string     `json:"zone"`        // zone the dates were read in
	ZoneSource string     `json:"zone_source"` // "requested", the calendar's X-WR-TIMEZONE, or "default" (UTC)
	From       string     `json:"from"`        // window start, RFC 3339
	To         string     `json:"to"`          // window end (exclusive), RFC 3339
	Instances  []ical.Row `json:"instances"`
	Warnings   []string   `json:"warnings"`
}

// apiExpandCalendar expands an uploaded calendar over a window of dates.
// The calendar comes as the "file" part of a multipart form (with "from",
// "to" and optional "tz" fields), or as a text/calendar body with those as
// query parameters. With "Accept: application/x-ndjson" the answer is the
// rows of `rhythm ical expand --json`, one per line.
func (s *Server) apiExpandCalendar(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxCalendarUpload+64<<10)
	var body io.Reader = r.Body
	name := "calendar.ics"
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			s.fail(w, r, uploadError(err))
			return
		}
		defer r.MultipartForm.RemoveAll()
		f, h, err := r.FormFile("file")
		if err != nil {
			s.fail(w, r, rhythm.Errorf(rhythm.EINVALID, "the form has no calendar: send it as the %q file field", "file"))
			return
		}
		defer f.Close()
		body = f
		if base := filepath.Base(h.Filename); base != "." && base != "/" && base != "" {
			name = base
		}
	}
	// Without a form, the window comes in the query string; the body is
	// the calendar whatever its content type says.
	get := r.URL.Query().Get
	if mt == "multipart/form-data" {
		get = r.FormValue
	}
	q := ical.Query{Name: name, From: get("from"), To: get("to"), Zone: get("tz")}
	res, err := ical.RunQuery(body, q)
	if err != nil {
		s.fail(w, r, uploadError(err))
		return
	}
	if accepts(r, "application/x-ndjson") {
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
		if err := ical.WriteRows(w, res.Instances); err != nil {
			s.log.Debug("write rows", "err", err)
		}
		return
	}
	out := expandResponse{
		Zone: res.Zone.String(), ZoneSource: res.ZoneSource,
		From: res.From.Format(time.RFC3339), To: res.To.Format(time.RFC3339),
		Instances: make([]ical.Row, len(res.Instances)), Warnings: make([]string, len(res.Warnings)),
	}
	for i := range res.Instances {
		out.Instances[i] = ical.RowOf(&res.Instances[i])
	}
	for i, wn := range res.Warnings {
		out.Warnings[i] = wn.String()
	}
	s.json(w, http.StatusOK, out)
}

// uploadError turns an error reading or expanding an upload into a
// user-facing error: too large, or invalid with the place named.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return rhythm.Errorf(rhythm.ETOOLARGE, "the calendar is larger than %d bytes", maxCalendarUpload)
	}
	var qe *ical.QueryError
	var ce *ical.Error
	switch {
	case errors.As(err, &qe), errors.As(err, &ce), errors.Is(err, ical.ErrNotCalendar):
		return rhythm.Errorf(rhythm.EINVALID, "%s", err)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return slowBody(err)
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		strings.Contains(err.Error(), "multipart"):
		return rhythm.Errorf(rhythm.EINVALID, "reading the form: %v (was the upload cut short?)", err)
	}
	return err
}

// accepts reports whether the request's Accept header names media type mt.
func accepts(r *http.Request, mt string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if t, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && t == mt {
			return true
		}
	}
	return false
}
