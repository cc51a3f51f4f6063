package web

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"

	"github.com/rhythm-team/rhythm"
)

// refuseNUL answers 400 to a request whose path, query or form fields
// hold a NUL byte, before any route sees it: PostgreSQL cannot store one
// and no person types one. JSON and YAML bodies are checked by readBody.
func (s *Server) refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkRequestText(w, r); err != nil {
			s.deny(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) checkRequestText(w http.ResponseWriter, r *http.Request) error {
	if err := rhythm.CheckText("path", r.URL.Path); err != nil {
		return err
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if err := checkValues("query", q); err != nil {
		return err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" || r.Body == nil {
		return nil
	}
	// Parsed once here, the form stays on r for the handler.
	r.Body = http.MaxBytesReader(w, r.Body, max(s.maxBody, maxRosterUpload+64<<10))
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return rhythm.Errorf(rhythm.ETOOLARGE, "request body is larger than %d bytes", mbe.Limit)
		}
		return rhythm.Errorf(rhythm.EINVALID, "reading the form: %v", err)
	}
	return checkValues("form", r.PostForm)
}

// checkValues checks the names and values of a query or form.
func checkValues(where string, vs url.Values) error {
	for k, list := range vs {
		if err := rhythm.CheckText(where+" field name", k); err != nil {
			return err
		}
		for _, v := range list {
			if err := rhythm.CheckText(where+" field "+k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkBodyText refuses a body that holds a NUL byte, raw or written as
// the JSON escape \u0000. (YAML escapes are caught where the fields are
// validated.)
func checkBodyText(b []byte) error {
	for _, esc := range [][]byte{{0}, []byte(`\u0000`)} {
		if i := bytes.Index(b, esc); i >= 0 {
			return rhythm.Errorf(rhythm.EINVALID, "request body: holds a NUL byte at offset %d", i)
		}
	}
	return nil
}
