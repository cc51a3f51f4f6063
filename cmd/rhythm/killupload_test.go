package main

import (
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKillDuringUploadLeavesNoFolder: a server killed with SIGKILL while
// an upload streams in leaves its partial file behind; the next start
// removes it, wherever the server keeps uploads.
func TestKillDuringUploadLeavesNoFolder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dsn := filepath.Join(t.TempDir(), "upload.db")
	token := adminToken(t, dsn)
	roster := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(roster, []byte("team: Uploads\nmembers:\n  - {name: Ana, email: ana@example.com, zone: Europe/Lisbon}\n"), 0o600)
	if code, _, errs := runCLI(t, "", "team", "import", roster, "--db", dsn); code != 0 {
		t.Fatalf("team import: exit %d: %s", code, errs)
	}
	p, base := startProcess(t, "--db", dsn)

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", base+"/api/v1/teams/Uploads/imports", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	go http.DefaultClient.Do(req)
	part, _ := mw.CreateFormFile("file", "export.zip")
	part.Write([]byte("PK\x03\x04" + strings.Repeat("x", 1<<20)))
	eventually(t, "the upload reaches the disk", func() bool { return len(files(t, tmp)) > 0 })

	p.cmd.Process.Kill()
	err := <-p.done
	p.done <- err
	pw.Close()
	left := files(t, tmp)
	t.Logf("left by the killed server: %v", left)

	startProcess(t, "--db", dsn)
	if got := files(t, tmp); len(got) > 0 {
		t.Errorf("after a restart the killed upload is still there: %v", got)
	}
}

// files lists the regular files and rhythm-upload-* folders under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() || strings.HasPrefix(d.Name(), "rhythm-upload-") {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	return out
}
