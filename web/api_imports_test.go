package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/rhythm-team/rhythm/internal/metrics"
	"github.com/rhythm-team/rhythm/store"
)

func slackZip(t *testing.T, extra map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	root := filepath.Join("..", "ingest", "slack", "testdata", "export")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range extra {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return b.Bytes()
}

// uploadFiles posts files (name → content) in the field "file".
func (f *fixture) uploadFiles(t *testing.T, role, target string, files ...[2]string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, file := range files {
		fw, _ := mw.CreateFormFile("file", file[0])
		fw.Write([]byte(file[1]))
	}
	mw.Close()
	return f.request(t, role, "POST", target, &b, map[string]string{"Content-Type": mw.FormDataContentType()}).Result()
}

type importsBody struct {
	Imports []store.Import `json:"imports"`
}

func decodeImports(t *testing.T, resp *http.Response) importsBody {
	t.Helper()
	var b importsBody
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) counts(t *testing.T) (int, int) {
	t.Helper()
	var imports, rows int
	f.db.SQL().QueryRow("SELECT COUNT(*) FROM imports").Scan(&imports)
	f.db.SQL().QueryRow("SELECT COUNT(*) FROM interactions").Scan(&rows)
	return imports, rows
}

// importMetrics reads the import counters of a source kind.
func importMetrics(t *testing.T, source string) (ok, failed, rows float64) {
	t.Helper()
	value := func(c prometheus.Counter) float64 {
		var m dto.Metric
		if err := c.Write(&m); err != nil {
			t.Fatal(err)
		}
		return m.GetCounter().GetValue()
	}
	return value(metrics.Imports.WithLabelValues(source, "ok")), value(metrics.Imports.WithLabelValues(source, "failed")),
		value(metrics.ImportRows.WithLabelValues(source))
}

func TestImportUpload(t *testing.T) {
	f := newSQLiteFixture(t)
	target := fmt.Sprintf("/api/v1/teams/%d/imports", f.teamA.ID)
	export := string(slackZip(t, nil))
	slackOK, slackFailed, slackRows := importMetrics(t, "slack")
	mboxOK, _, mboxRows := importMetrics(t, "mbox")
	mboxData, _ := os.ReadFile(filepath.Join("..", "ingest", "mbox", "testdata", "sample.mbox"))
	resp := f.uploadFiles(t, "lead", target, [2]string{"export.zip", export}, [2]string{"mail.mbox", string(mboxData)})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	got := decodeImports(t, resp)
	if len(got.Imports) != 2 || got.Imports[0].Stored != 8 || got.Imports[0].Format != "slack" || got.Imports[1].Format != "mbox" ||
		got.Imports[1].SkippedReasons["bad date"] != 1 || got.Imports[0].Name != "export.zip" {
		t.Errorf("imports = %+v", got.Imports)
	}
	_, rows := f.counts(t)
	// Again: nothing changes.
	resp = f.uploadFiles(t, "admin", target, [2]string{"same.zip", export})
	if resp.StatusCode != http.StatusOK || !decodeImports(t, resp).Imports[0].Duplicate {
		t.Errorf("re-upload = %d, want 200 and a duplicate", resp.StatusCode)
	}
	if i, r := f.counts(t); i != 2 || r != rows {
		t.Errorf("re-upload changed the database: %d imports, %d rows", i, r)
	}
	// A failing import stores nothing and counts as failed.
	f.uploadFiles(t, "lead", target, [2]string{"bad.zip", string(slackZip(t, map[string]string{"general/2026-03-09.json": "[\n{]"}))})
	okN, failedN, rowsN := importMetrics(t, "slack")
	mboxOKN, _, mboxRowsN := importMetrics(t, "mbox")
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"slack imports ok", okN - slackOK, 2}, // the duplicate counts, with no rows
		{"slack imports failed", failedN - slackFailed, 1},
		{"slack rows", rowsN - slackRows, float64(got.Imports[0].Stored)},
		{"mbox imports ok", mboxOKN - mboxOK, 1},
		{"mbox rows", mboxRowsN - mboxRows, float64(got.Imports[1].Stored)},
	} {
		if c.got != c.want {
			t.Errorf("metrics: %s went up by %v, want %v", c.name, c.got, c.want)
		}
	}
	list := f.request(t, "member", "GET", target, nil, nil)
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), `"name":"export.zip"`) {
		t.Errorf("list = %d %s", list.Code, list.Body)
	}
}

func TestImportUploadBadInput(t *testing.T) {
	f := newSQLiteFixture(t)
	target := fmt.Sprintf("/api/v1/teams/%d/imports", f.teamA.ID)
	tests := []struct {
		name   string
		files  [][2]string
		status int
		want   string
	}{
		{"traversal", [][2]string{{"evil.zip", string(slackZip(t, map[string]string{"../../x.json": "[]"}))}}, 400, "evil.zip: refused: entry \"../../x.json\""},
		{"bomb", [][2]string{{"bomb.zip", string(slackZip(t, map[string]string{"general/2026-03-09.json": strings.Repeat(" ", 64<<20)}))}}, 400, "bomb.zip: refused"},
		{"malformed day file", [][2]string{{"bad.zip", string(slackZip(t, map[string]string{"general/2026-03-09.json": "[\n{]"}))}}, 400, "bad.zip: general/2026-03-09.json:2: malformed JSON"},
		{"truncated zip", [][2]string{{"cut.zip", string(slackZip(t, nil)[:1000])}}, 400, "cut.zip: not a readable zip archive"},
		{"csv missing a column", [][2]string{{"m.csv", "start,end,kind\n"}}, 400, `m.csv:1: missing column "organizer", "participants"`},
		{"not an export", [][2]string{{"notes.txt", "hello"}}, 400, "notes.txt: cannot tell what this is"},
		{"good then bad", [][2]string{{"a.csv", "start,end,organizer,participants,kind\n2026-03-02T09:00:00Z,,ana@example.com,,message\n"}, {"b.csv", "start,end\n"}}, 400, "1 earlier file(s) of this upload were imported; b.csv:1: missing column"},
		{"no file", nil, 400, "no file in the upload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := f.counts(t)
			resp := f.uploadFiles(t, "lead", target, tt.files...)
			var e apiError
			json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != tt.status || !strings.HasPrefix(e.Error.Message, tt.want) || strings.Contains(e.Error.Message, os.TempDir()) {
				t.Errorf("= %d %q, want %d %q", resp.StatusCode, e.Error.Message, tt.status, tt.want)
			}
			want := before
			if tt.name == "good then bad" {
				want++
			}
			if after, _ := f.counts(t); after != want {
				t.Errorf("%d imports after, want %d", after, want)
			}
		})
	}
	// Not multipart at all.
	w := f.request(t, "lead", "POST", target, strings.NewReader("{}"), map[string]string{"Content-Type": "application/json"})
	if w.Code != http.StatusBadRequest {
		t.Errorf("JSON body = %d, want 400", w.Code)
	}
}

func TestImportUploadTooLarge(t *testing.T) {
	f := newSQLiteFixture(t)
	var err error
	f.srv, err = New(Config{DB: f.db, Logger: slog.Default(), MaxImport: 1000})
	if err != nil {
		t.Fatal(err)
	}
	resp := f.uploadFiles(t, "lead", fmt.Sprintf("/api/v1/teams/%d/imports", f.teamA.ID), [2]string{"big.mbox", strings.Repeat("x", 5000)})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("= %d, want 413", resp.StatusCode)
	}
	if i, _ := f.counts(t); i != 0 {
		t.Errorf("%d imports stored", i)
	}
}

func TestImportsPage(t *testing.T) {
	f := newSQLiteFixture(t)
	page := fmt.Sprintf("/teams/%d/imports", f.teamA.ID)
	w := f.upload(t, "lead", page, "file", "export.zip", string(slackZip(t, nil)))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page {
		t.Fatalf("upload = %d → %q: %s", w.Code, w.Header().Get("Location"), w.Body)
	}
	w = f.request(t, "lead", "GET", page, nil, nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "export.zip") || !strings.Contains(body, "8 of 13") || !strings.Contains(body, "bot_message: 1") || !strings.Contains(body, `id="import"`) {
		t.Errorf("page = %d:\n%s", w.Code, body)
	}
	w = f.request(t, "member", "GET", page, nil, nil)
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `id="import"`) {
		t.Errorf("a member sees the upload form or no page: %d", w.Code)
	}
	w = f.upload(t, "lead", page, "file", "evil.zip", string(slackZip(t, map[string]string{"../x": "x"})))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "evil.zip: refused") {
		t.Errorf("bad upload = %d:\n%s", w.Code, w.Body)
	}
	if i, _ := f.counts(t); i != 1 {
		t.Errorf("%d imports, want 1", i)
	}
}

// TestImportCalendarWarnings: a calendar whose warnings left nothing out
// (an unknown zone, a broken line in an event still read) shows nothing
// skipped in the API and on the page, and the API keeps the warnings.
func TestImportCalendarWarnings(t *testing.T) {
	f := newSQLiteFixture(t)
	ics := strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:zoned
DTSTART;TZID=Mars/Olympus:20260302T090000
DURATION:PT1H
ORGANIZER:mailto:ana@example.com
END:VEVENT
BEGIN:VEVENT
UID:brokenline
DTSTART:20260303T150000Z
DURATION:PT30M
X-BROKEN
ORGANIZER:mailto:ana@example.com
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n")
	resp := f.uploadFiles(t, "lead", fmt.Sprintf("/api/v1/teams/%d/imports", f.teamA.ID), [2]string{"w.ics", ics})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	got := decodeImports(t, resp).Imports
	if len(got) != 1 || got[0].Stored != 2 || got[0].Skipped != 0 || len(got[0].SkippedReasons) != 0 || len(got[0].Notes) != 2 {
		t.Errorf("imports = %+v, want 2 stored, none skipped, 2 notes", got)
	}
	w := f.request(t, "lead", "GET", fmt.Sprintf("/teams/%d/imports", f.teamA.ID), nil, nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `<td data-label="Skipped">0</td>`) || strings.Contains(body, "calendar warning:") {
		t.Errorf("page = %d, want none skipped:\n%s", w.Code, body)
	}
}
