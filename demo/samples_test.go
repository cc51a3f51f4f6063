package demo_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/store/storetest"
)

var updateSamples = flag.Bool("update-samples", false, "rewrite pulse/testdata/demo-samples.json from a new demo")

// samplesFixture is the demo's outcome samples, which pulse's correlation
// benchmark and golden test read.
var samplesFixture = filepath.Join("..", "pulse", "testdata", "demo-samples.json")

// TestSamplesFixture checks that pulse's fixture still has the shape of
// what the Correlations page of a new demo reads: the same metrics over
// the same number of team-quarters. The demo's dates follow today's, so
// the values themselves are a snapshot; -update-samples takes a new one.
func TestSamplesFixture(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	got, err := db.OutcomeSamples(ctx, db.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if *updateSamples {
		b, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(samplesFixture, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(samplesFixture)
	if err != nil {
		t.Fatal(err)
	}
	var want []metric.Sample
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", samplesFixture, err)
	}
	shape := func(ss []metric.Sample) (names []string, quarters int) {
		q := metric.ByQuarter(ss)
		return metric.Names(q), len(q)
	}
	gotNames, gotQ := shape(got)
	wantNames, wantQ := shape(want)
	if diff := cmp.Diff(wantNames, gotNames); diff != "" || gotQ != wantQ {
		t.Errorf("the demo's samples changed shape (%d team-quarters, fixture %d); metrics (-fixture +demo):\n%s\nrun go test ./demo -run TestSamplesFixture -update-samples", gotQ, wantQ, diff)
	}
}
