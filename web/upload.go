package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
)

// Receiving import uploads, shared by the API and the pages.

// receiveUploads streams the files of a multipart body to dir.
func (s *Server) receiveUploads(w http.ResponseWriter, r *http.Request, dir string) ([]app.ImportFile, error) {
	s.allowUpload(w)
	r.Body = http.MaxBytesReader(w, r.Body, s.maxImport)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "send the files as multipart/form-data in the field \"file\": %v", err)
	}
	var ups []app.ImportFile
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, importUploadError(err)
		}
		if part.FileName() == "" {
			io.Copy(io.Discard, part)
			continue
		}
		name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		if name == "." || name == "/" || name == "" {
			name = "upload"
		}
		p := filepath.Join(dir, fmt.Sprintf("%d", len(ups)))
		f, err := os.Create(p)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(f, part)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, importUploadError(err)
		}
		ups = append(ups, app.ImportFile{Name: name, Path: p})
	}
	if len(ups) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "no file in the upload: send one or more files in the field \"file\"")
	}
	return ups, nil
}

func importUploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return rhythm.Errorf(rhythm.ETOOLARGE, "the upload is larger than %d bytes", mbe.Limit)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return slowBody(err)
	}
	return rhythm.Errorf(rhythm.EINVALID, "reading the upload: %v", err)
}

func withPrefix(err error, prefix string) error {
	var e *rhythm.Error
	if errors.As(err, &e) {
		return rhythm.Errorf(e.Code, "%s%s", prefix, e.Message)
	}
	return err
}
