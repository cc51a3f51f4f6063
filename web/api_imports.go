package web

import (
	"fmt"
	"net/http"
	"os"
)

// DefaultMaxImport is the largest import upload accepted by default.
const DefaultMaxImport = 2 << 30

// apiImport stores uploaded exports (multipart/form-data, one or more
// files) as imports of the team. Each file is one import; its kind is
// told from its content.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	dir, err := s.spool.MkdirTemp()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := s.receiveUploads(w, r, dir)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	imports, err := s.app.Import(r.Context(), s.actor(r), r.PathValue("team"), files)
	if err != nil {
		if len(imports) > 0 {
			err = withPrefix(err, fmt.Sprintf("%d earlier file(s) of this upload were imported; ", len(imports)))
		}
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	for _, imp := range imports {
		if !imp.Duplicate {
			status = http.StatusCreated
		}
	}
	s.json(w, status, map[string]any{"imports": imports})
}

func (s *Server) apiListImports(w http.ResponseWriter, r *http.Request) {
	_, imps, err := s.app.Imports(r.Context(), s.actor(r), r.PathValue("team"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"imports": imps})
}
