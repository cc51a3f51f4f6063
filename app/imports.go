package app

import (
	"context"
	"path/filepath"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/detect"
	"github.com/rhythm-team/rhythm/internal/metrics"
	"github.com/rhythm-team/rhythm/store"
)

// ImportFile is one file to import: its name as the person knows it (the
// base of Path when empty), where it is on disk, and an optional counter
// of interactions read.
type ImportFile struct {
	Name, Path string
	Progress   func(n int)
}

// Import stores each file as one import of the team, its kind told from
// its content; a file imported before changes nothing. It stops at the
// first file that fails and returns the imports made before it with the
// error, unchanged, so a surface can say what was kept.
func (a *App) Import(ctx context.Context, who Actor, teamRef string, files []ImportFile) ([]store.Import, error) {
	ta, err := a.Authorize(ctx, who, TeamLead, teamRef)
	if err != nil {
		return nil, err
	}
	res, err := a.db.Resolver(ctx, ta.TeamID)
	if err != nil {
		return nil, err
	}
	imports := []store.Import{}
	for _, f := range files {
		imp, err := a.importFile(ctx, ta.TeamID, res, f)
		if err != nil {
			return imports, err
		}
		imports = append(imports, imp)
	}
	return imports, nil
}

// importFile stores one file as one import.
func (a *App) importFile(ctx context.Context, teamID int64, res *ingest.Resolver, f ImportFile) (store.Import, error) {
	src, format, err := detect.Open(f.Path, res, detect.Options{Limits: ingest.DefaultLimits(), Name: f.Name})
	if err != nil {
		return store.Import{}, err
	}
	defer src.Close()
	hash, err := detect.Hash(f.Path)
	if err != nil {
		return store.Import{}, err
	}
	name := f.Name
	if name == "" {
		name = filepath.Base(f.Path)
	}
	read := src.Import
	if f.Progress != nil {
		read = func(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
			return src.Import(ctx, func(in ingest.Interaction) error {
				f.Progress(1)
				return emit(in)
			})
		}
	}
	imp, err := a.db.ImportInteractions(ctx, teamID, store.ImportMeta{Name: name, Format: string(format), Hash: hash}, read)
	rows := imp.Stored
	if imp.Duplicate {
		rows = 0
	}
	metrics.Import(string(format), rows, err)
	return imp, err
}

// Imports lists a team's imports, for its members.
func (a *App) Imports(ctx context.Context, who Actor, teamRef string) (TeamOf, []store.Import, error) {
	t, err := a.teamFor(ctx, who, TeamMember, teamRef)
	if err != nil {
		return t, nil, err
	}
	imps, err := a.db.Imports(ctx, t.ID)
	return t, imps, err
}
