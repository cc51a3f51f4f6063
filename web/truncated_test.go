package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// TestTruncatedMultipartIsBadRequest cuts a calendar upload short: the
// answer is 400 with the JSON error shape, and nothing is logged as an
// error (finding 16 of issue 16).
func TestTruncatedMultipartIsBadRequest(t *testing.T) {
	f := newSQLiteFixture(t)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("from", "2026-03-02")
	mw.WriteField("to", "2026-03-09")
	fw, _ := mw.CreateFormFile("file", "cal.ics")
	fw.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260302T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	mw.Close()
	whole := b.Bytes()
	for _, cut := range []int{len(whole) - 10, len(whole) / 2, 20} {
		w := f.request(t, "member", "POST", "/api/v1/ical/expand", bytes.NewReader(whole[:cut]), map[string]string{"Content-Type": mw.FormDataContentType()})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"code":"invalid"`) {
			t.Errorf("cut at %d of %d: %d %s, want 400 invalid", cut, len(whole), w.Code, w.Body)
		}
	}
	if strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("a truncated upload was logged as an error:\n%s", f.logs)
	}
}
