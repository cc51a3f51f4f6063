//go:build load

package main

// The import fault test: a process killed with SIGKILL in the middle of an
// import leaves nothing of it behind. It builds rhythm, generates a Slack
// export big enough that its import takes a second or more, and runs for
// some tens of seconds, so it is kept with the load tests:
//
//	go test -tags load -run KillMidImport -v ./cmd/rhythm/

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// buildRhythm builds the rhythm command into a temporary folder.
func buildRhythm(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build rhythm with")
	}
	bin := filepath.Join(t.TempDir(), "rhythm")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigExport is a generated team's roster and Slack export.
type bigExport struct {
	roster, slack, hash, team string
}

// genBigExport writes a generated team's roster and a Slack export of
// some 130,000 messages.
func genBigExport(t *testing.T) bigExport {
	t.Helper()
	d, err := gen.New(gen.Config{People: 80, Weeks: 26, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	e := bigExport{roster: filepath.Join(dir, gen.RosterFile), slack: filepath.Join(dir, gen.SlackFile), team: d.Team().Name}
	for path, write := range map[string]func(io.Writer) error{e.roster: d.WriteRoster, e.slack: d.WriteSlack} {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		err = write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
	}
	if e.hash, err = detect.Hash(e.slack); err != nil {
		t.Fatal(err)
	}
	return e
}

// importRun is one import running in a child process.
type importRun struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan error    // the process's exit
	done   chan error    // the import's end, as its caller saw it
	start  time.Time     // when the import was asked for
	took   time.Duration // how long it took, once done
	server string        // base URL, for an import through the API
	token  string        // API token, for an import through the API
	client *http.Client  // for an import through the API
	cancel func()        // stops the HTTP request
	body   *syncBuffer   // the command's output or the API's answer
	stdout *bufio.Reader // the server's output
}

// importMode starts an import of the export into dsn.
type importMode struct {
	name  string
	start func(t *testing.T, bin, dsn string, e bigExport) *importRun
}

func childEnv(t *testing.T) []string {
	t.Helper()
	// A killed server leaves its upload in TMPDIR; keep it in the test's.
	return append(os.Environ(), "TMPDIR="+t.TempDir())
}

func startChild(t *testing.T, r *importRun) {
	t.Helper()
	r.exited = make(chan error, 1)
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- r.cmd.Wait() }()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		err := <-r.exited
		r.exited <- err
	})
}

var importModes = []importMode{
	{"rhythm import", func(t *testing.T, bin, dsn string, e bigExport) *importRun {
		t.Helper()
		r := &importRun{stderr: &syncBuffer{}, body: &syncBuffer{}, done: make(chan error, 1)}
		r.cmd = exec.Command(bin, "import", "--team", e.team, "--db", dsn, e.slack)
		r.cmd.Env, r.cmd.Stdout, r.cmd.Stderr = childEnv(t), r.body, r.stderr
		r.start = time.Now()
		startChild(t, r)
		go func() {
			err := <-r.exited
			r.exited <- err
			r.took = time.Since(r.start)
			r.done <- err
		}()
		return r
	}},
	{"rhythm serve", func(t *testing.T, bin, dsn string, e bigExport) *importRun {
		t.Helper()
		r := &importRun{stderr: &syncBuffer{}, body: &syncBuffer{}, done: make(chan error, 1), token: adminToken(t, dsn)}
		r.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--log-level", "error")
		out, err := r.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		r.cmd.Env, r.cmd.Stderr = childEnv(t), r.stderr
		startChild(t, r)
		r.stdout = bufio.NewReader(out)
		for r.server == "" {
			line, err := r.stdout.ReadString('\n')
			if err != nil {
				t.Fatalf("serve stopped before listening: %v; stderr:\n%s", err, r.stderr)
			}
			if u, ok := strings.CutPrefix(strings.TrimSpace(line), "rhythm is listening on "); ok {
				r.server = strings.TrimSuffix(u, "/")
			}
		}
		go io.Copy(io.Discard, r.stdout)
		ctx, cancel := context.WithCancel(context.Background())
		r.cancel = cancel
		t.Cleanup(cancel)
		r.client = &http.Client{Transport: &http.Transport{}}
		r.start = time.Now()
		go func() {
			err := r.upload(ctx, e)
			r.took = time.Since(r.start)
			r.done <- err
		}()
		return r
	}},
}

// upload sends the export to the server as a multipart import.
func (r *importRun) upload(ctx context.Context, e bigExport) error {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		f, err := os.Open(e.slack)
		if err == nil {
			defer f.Close()
			var part io.Writer
			if part, err = mw.CreateFormFile("file", filepath.Base(e.slack)); err == nil {
				_, err = io.Copy(part, f)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, "POST", r.server+"/api/v1/teams/"+url.PathEscape(e.team)+"/imports", pr)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r.body.Write(b)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("import answered %d: %s", res.StatusCode, b)
	}
	return nil
}

// kill sends SIGKILL and waits for the process to go. It reports whether
// the import was still running when the signal went.
func (r *importRun) kill(t *testing.T) (running bool) {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err
		return false
	default:
	}
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-r.exited
	r.exited <- err
	if r.cancel != nil {
		r.cancel()
	}
	return true
}

// finish waits for the import to end and the process to exit.
func (r *importRun) finish(t *testing.T) time.Duration {
	t.Helper()
	err := <-r.done
	took := r.took
	if err != nil {
		t.Fatalf("import: %v\n%s\nstderr:\n%s", err, r.body, r.stderr)
	}
	if r.server != "" {
		r.cmd.Process.Signal(syscall.SIGTERM)
		if err := <-r.exited; err != nil {
			t.Errorf("serve exit: %v; stderr:\n%s", err, r.stderr)
		}
		r.exited <- nil
	}
	return took
}

// importCounts reads how many interactions the database holds, and how
// many import records of the file with hash, and what they say they stored.
func importCounts(t *testing.T, dsn, hash string) (interactions, imports, stored int) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open after the import: %v", err)
	}
	defer db.Close()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var sum sql.NullInt64
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM interactions").Scan(&interactions); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT COUNT(*), SUM(stored) FROM imports WHERE content_hash = ?", hash).Scan(&imports, &sum)
		stored = int(sum.Int64)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return interactions, imports, stored
}

// pgActivity returns what the PostgreSQL sessions named app are doing.
func pgActivity(t *testing.T, dsn, app string) string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT state, left(query, 40) FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle' AND pid <> pg_backend_pid()`, app)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seen []string
	for rows.Next() {
		var state, query string
		if err := rows.Scan(&state, &query); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, state+": "+query)
	}
	return strings.Join(seen, "; ")
}

// TestKillMidImport kills `rhythm import`, and a server taking an import
// through the API, with SIGKILL at several points of an import of a large
// Slack export, on SQLite and PostgreSQL: each time the database holds no
// interaction and no import record of the file. The import then runs to
// completion and stores what an undisturbed one stores.
func TestKillMidImport(t *testing.T) {
	bin := buildRhythm(t)
	e := genBigExport(t)
	// Where to kill, as a share of the time an undisturbed import takes.
	points := []float64{0.05, 0.3, 0.6, 0.85}
	for _, d := range storetest.Dialects() {
		for _, mode := range importModes {
			t.Run(d.Name+"/"+mode.name, func(t *testing.T) {
				prepare := func() string {
					dsn := d.DSN(t)
					app := ""
					if d.Name == store.Postgres {
						// A name to find the import's sessions by.
						app = fmt.Sprintf("rhythm-kill-%d", time.Now().UnixNano())
						u, err := url.Parse(dsn)
						if err != nil {
							t.Fatal(err)
						}
						q := u.Query()
						q.Set("application_name", app)
						u.RawQuery = q.Encode()
						dsn = u.String()
					}
					if code, _, errs := runCLI(t, "", "team", "import", e.roster, "--db", dsn); code != 0 {
						t.Fatalf("team import: exit %d: %s", code, errs)
					}
					return dsn
				}

				// An undisturbed import into a database of its own: how long
				// it takes, and what it stores.
				ref := prepare()
				took := mode.start(t, bin, ref, e).finish(t)
				want, _, _ := importCounts(t, ref, e.hash)
				if want < 100_000 {
					t.Fatalf("the export gave only %d interactions", want)
				}
				t.Logf("an undisturbed import of %d interactions took %s", want, took.Round(time.Millisecond))

				dsn := prepare()
				appName := func() string {
					u, _ := url.Parse(dsn)
					return u.Query().Get("application_name")
				}
				copying := 0
				for _, p := range points {
					var r *importRun
					for {
						r = mode.start(t, bin, dsn, e)
						time.Sleep(time.Duration(p * float64(took)))
						activity := ""
						if app := appName(); app != "" {
							activity = pgActivity(t, dsn, app)
							// Rows go in by COPY to a staging table, then
							// on to interactions (leaving out chat stored before).
							if a := strings.ToLower(activity); strings.Contains(a, "copy") || strings.Contains(a, "import_rows") || strings.Contains(a, "insert into interactions") {
								copying++
							}
						}
						if r.kill(t) {
							t.Logf("killed at %.0f%% (%s); database activity: %q", p*100, time.Since(r.start).Round(time.Millisecond), activity)
							break
						}
						// Faster than the first: this one is the measure now.
						if r.took >= took {
							t.Fatalf("the import finished in %s before its kill at %s", r.took, time.Duration(p*float64(took)))
						}
						t.Logf("the import finished in %s, before its kill at %.0f%%; again, with that as the measure", r.took.Round(time.Millisecond), p*100)
						took = r.took
						dsn = prepare()
					}
					// All or nothing: a kill between the commit and the
					// exit leaves the whole import.
					switch rows, imports, stored := importCounts(t, dsn, e.hash); {
					case rows == 0 && imports == 0:
					case rows == want && imports == 1 && stored == want:
						t.Logf("the kill came after the commit: the whole import is stored")
						dsn = prepare()
					default:
						t.Errorf("killed at %.0f%%: %d interactions and %d import records (saying %d) stored; want none, or all %d in one",
							p*100, rows, imports, stored, want)
					}
				}
				if appName() != "" && copying == 0 {
					t.Errorf("no kill came while PostgreSQL was writing rows in")
				}

				mode.start(t, bin, dsn, e).finish(t)
				rows, imports, stored := importCounts(t, dsn, e.hash)
				if rows != want || imports != 1 || stored != want {
					t.Errorf("after the kills, the import stored %d interactions in %d import record(s) saying %d; want %d in 1", rows, imports, stored, want)
				}
			})
		}
	}
}
