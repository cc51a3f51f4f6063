package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/store/storetest"
)

// TestDrippedBodiesAreCutOff opens 40 connections that send the headers of
// POST /api/v1/decide and then drip its body a byte at a time: each must be
// answered and closed once the body timeout passes (finding 15 of issue 16).
func TestDrippedBodiesAreCutOff(t *testing.T) {
	srv, err := New(Config{DB: storetest.SQLite(t), BodyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.Config.ReadHeaderTimeout = time.Second
	ts.Start()
	defer ts.Close()

	const conns = 40
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		open     = conns
	)
	stop := make(chan struct{})
	defer close(stop)
	for range conns {
		c, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /api/v1/decide HTTP/1.1\r\nHost: rhythm\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
		go func() { // the drip, until the server hangs up or the test ends
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					if _, err := c.Write([]byte(" ")); err != nil {
						return
					}
				}
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				statuses[resp.StatusCode]++
			}
			// The connection must be closed after the answer.
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			var b [1]byte
			for {
				if _, err := c.Read(b[:]); err != nil {
					if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
						open--
					}
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		mu.Lock()
		t.Fatalf("connections still open 20 s into the drip: answers %v", statuses)
	}
	if open != 0 || statuses[http.StatusBadRequest] != conns {
		t.Errorf("%d of %d dripping connections still open; answers %v, want %d × 400", open, conns, statuses, conns)
	}
}

// TestSlowImportUploadIsNotCutOff sends an import slower than the body
// timeout: uploads have their own, longer, deadline.
func TestSlowImportUploadIsNotCutOff(t *testing.T) {
	f := newSQLiteFixture(t)
	srv, err := New(Config{DB: f.db, BodyTimeout: 200 * time.Millisecond, UploadTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	mbox, err := os.ReadFile(filepath.Join("..", "ingest", "mbox", "testdata", "sample.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "mail.mbox")
	fw.Write(mbox)
	mw.Close()
	pr, pw := io.Pipe()
	go func() { // eight pieces, 100 ms apart: longer than the body timeout
		b := body.Bytes()
		step := len(b)/8 + 1
		for len(b) > 0 {
			n := min(step, len(b))
			if _, err := pw.Write(b[:n]); err != nil {
				return
			}
			b = b[n:]
			time.Sleep(100 * time.Millisecond)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", ts.URL+fmt.Sprintf("/api/v1/teams/%d/imports", f.teamA.ID), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: f.cookies["lead"]})
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Errorf("slow import = %d %s, want 201", resp.StatusCode, b)
	}
}
