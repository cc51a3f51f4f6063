package store_test

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rhythm-team/rhythm/gen"
	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/slack"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// BenchmarkImportSlack measures `rhythm import` of a generated Slack export
// zip into each database, in bytes of uncompressed JSON per second.
func BenchmarkImportSlack(b *testing.B) {
	dir := b.TempDir()
	d, err := gen.New(gen.Config{People: 60, Weeks: 4, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "export.zip")
	f, _ := os.Create(path)
	if err := d.WriteSlack(f); err != nil {
		b.Fatal(err)
	}
	f.Close()
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range zr.File {
		size += int64(f.UncompressedSize64)
	}
	zr.Close()
	for _, dia := range storetest.Dialects() {
		b.Run(dia.Name, func(b *testing.B) {
			db := storetest.OpenDSN(b, dia.DSN(b))
			ctx := context.Background()
			tm, err := db.CreateTeam(ctx, *d.Team())
			if err != nil {
				b.Fatal(err)
			}
			key, _ := db.PseudonymKey(ctx)
			res, _ := ingest.NewResolver(&tm, key)
			b.SetBytes(size)
			i := 0
			for b.Loop() {
				e, err := slack.Open(path, res, ingest.DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				i++
				if _, err := db.ImportInteractions(ctx, tm.ID, store.ImportMeta{Name: "export.zip", Format: "slack", Hash: fmt.Sprint(i)}, e.Import); err != nil {
					b.Fatal(err)
				}
				e.Close()
			}
		})
	}
}
