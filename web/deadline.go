package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/rhythm-team/rhythm"
)

// Default times a client has to send a request body: most bodies are
// small forms and JSON; imports are large files on possibly slow links.
const (
	DefaultBodyTimeout   = time.Minute
	DefaultUploadTimeout = time.Hour
)

// limitBodyTime gives the body of r until the server's body timeout to
// arrive, so that a client dripping a body cannot hold a connection open.
// Once the body is read to its end the deadline is lifted again: the
// server watches the idle connection while the handler works, and a
// deadline there would cancel a long request.
func (s *Server) limitBodyTime(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 || s.bodyTimeout <= 0 {
		return
	}
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(s.bodyTimeout)) != nil {
		return // not a network connection (tests) or HTTP/2 without support
	}
	r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
}

// allowUpload gives the rest of a request body the longer upload timeout;
// routes call it once the requester may upload.
func (s *Server) allowUpload(w http.ResponseWriter) {
	if s.uploadTimeout > 0 {
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.uploadTimeout))
	}
}

// deadlineBody lifts the read deadline when the body has been read to its end.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// slowBody turns a body read that ran out of time into an error the client
// can act on.
func slowBody(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return rhythm.Errorf(rhythm.EINVALID, "the request body did not arrive in time; send it faster or in smaller parts")
	}
	return err
}
