package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/internal/metrics"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/team"
)

// DefaultMaxImport is the largest import upload accepted by default.
const DefaultMaxImport = 2 << 30

// upload is one file of an import request, saved to a temporary file.
type upload struct {
	name, path string
}

// apiImport stores uploaded exports (multipart/form-data, one or more
// files) as imports of the team. Each file is one import; its kind is
// told from its content.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.db.Team(ctx, r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dir, err := s.spool.MkdirTemp()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	uploads, err := s.receiveUploads(w, r, dir)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := s.db.PseudonymKey(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := ingest.NewResolver(&t, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	imports := []store.Import{}
	status := http.StatusOK
	for _, u := range uploads {
		imp, err := s.importUpload(ctx, t.ID, res, u)
		if err != nil {
			if len(imports) > 0 {
				err = withPrefix(err, fmt.Sprintf("%d earlier file(s) of this upload were imported; ", len(imports)))
			}
			s.fail(w, r, err)
			return
		}
		if !imp.Duplicate {
			status = http.StatusCreated
		}
		imports = append(imports, imp)
	}
	s.json(w, status, map[string]any{"imports": imports})
}

func withPrefix(err error, prefix string) error {
	var e *rhythm.Error
	if errors.As(err, &e) {
		return rhythm.Errorf(e.Code, "%s%s", prefix, e.Message)
	}
	return err
}

// receiveUploads streams the files of a multipart body to dir.
func (s *Server) receiveUploads(w http.ResponseWriter, r *http.Request, dir string) ([]upload, error) {
	s.allowUpload(w)
	r.Body = http.MaxBytesReader(w, r.Body, s.maxImport)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "send the files as multipart/form-data in the field \"file\": %v", err)
	}
	var ups []upload
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
		ups = append(ups, upload{name: name, path: p})
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

func (s *Server) importUpload(ctx context.Context, teamID int64, res *ingest.Resolver, u upload) (store.Import, error) {
	src, format, err := detect.Open(u.path, res, detect.Options{Limits: ingest.DefaultLimits(), Name: u.name})
	if err != nil {
		return store.Import{}, err
	}
	defer src.Close()
	hash, err := detect.Hash(u.path)
	if err != nil {
		return store.Import{}, err
	}
	meta := store.ImportMeta{Name: u.name, Format: string(format), Hash: hash}
	imp, err := s.db.ImportInteractions(ctx, teamID, meta, src.Import)
	rows := imp.Stored
	if imp.Duplicate {
		rows = 0
	}
	metrics.Import(string(format), rows, err)
	return imp, err
}

func (s *Server) apiListImports(w http.ResponseWriter, r *http.Request) {
	t, err := s.db.Team(r.Context(), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	imps, err := s.db.Imports(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"imports": imps})
}

// importsView is the data of the imports page.
type importsView struct {
	Team      team.Team
	Imports   []store.Import
	CanImport bool
	Error     string
}

func (s *Server) importsPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	t, err := s.db.Team(r.Context(), r.PathValue("team"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	imps, err := s.db.Imports(r.Context(), t.ID)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	u, _ := currentUser(r)
	ta, _ := teamAccess(r)
	v := importsView{Team: t, Imports: imps, CanImport: u.Role == account.Admin || ta.IsLead, Error: errMsg}
	s.render(w, r, status, "imports", "Imports · "+t.Name, v)
}

func (s *Server) uiImports(w http.ResponseWriter, r *http.Request) {
	s.importsPage(w, r, http.StatusOK, "")
}

// uiImport stores the files of the upload form and shows the list.
func (s *Server) uiImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	fail := func(err error) {
		if rhythm.ErrorCode(err) == rhythm.EINTERNAL {
			s.uiFail(w, r, err)
			return
		}
		s.importsPage(w, r, ErrorStatus(rhythm.ErrorCode(err)), rhythm.ErrorMessage(err))
	}
	t, err := s.db.Team(ctx, r.PathValue("team"))
	if err != nil {
		fail(err)
		return
	}
	dir, err := s.spool.MkdirTemp()
	if err != nil {
		fail(err)
		return
	}
	defer os.RemoveAll(dir)
	uploads, err := s.receiveUploads(w, r, dir)
	if err != nil {
		fail(err)
		return
	}
	key, err := s.db.PseudonymKey(ctx)
	if err != nil {
		fail(err)
		return
	}
	res, err := ingest.NewResolver(&t, key)
	if err != nil {
		fail(err)
		return
	}
	for i, u := range uploads {
		if _, err := s.importUpload(ctx, t.ID, res, u); err != nil {
			if i > 0 {
				err = withPrefix(err, fmt.Sprintf("%d earlier file(s) were imported; ", i))
			}
			fail(err)
			return
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/teams/%d/imports", t.ID), http.StatusSeeOther)
}
