package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
)

// TestCreateExperimentNeedsLeads checks the rule below the route table's
// "signed in": only admins and leads of every team taking part create an
// experiment or assign it; leads of some of its teams read it; others
// are refused and see nothing of it in the list.
func TestCreateExperimentNeedsLeads(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	refs := []string{fmt.Sprint(f.teamA.ID), fmt.Sprint(f.teamB.ID)}
	for _, name := range []string{"Charlie", "Delta"} {
		tm := roster(rosterC)
		tm.Name = name
		if _, err := f.db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, name)
	}
	in := app.ExperimentInput{Name: "Async prep", Teams: refs,
		Baseline: "2026-01-05/2026-02-01", Treatment: "2026-02-09/2026-03-08", Outcomes: []string{"meeting_hours"}}
	for _, role := range []string{"member", "lead", "lead of another team"} {
		if _, err := f.app.CreateExperiment(ctx, f.actors[role], in); rhythm.ErrorCode(err) != rhythm.EFORBIDDEN {
			t.Errorf("CreateExperiment as %s = %v, want EFORBIDDEN", role, err)
		}
	}
	e, err := f.app.CreateExperiment(ctx, f.actors["admin"], in)
	if err != nil {
		t.Fatalf("CreateExperiment as admin: %v", err)
	}
	tests := []struct {
		role         string
		read, assign string
		listed       int
	}{
		{"member", rhythm.EFORBIDDEN, rhythm.EFORBIDDEN, 0},
		{"lead", "", rhythm.EFORBIDDEN, 1},
		{"lead of another team", "", rhythm.EFORBIDDEN, 1},
		{"command line", "", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			who := f.actors[tt.role]
			if _, _, err := f.app.Experiment(ctx, who, e.ID); rhythm.ErrorCode(err) != tt.read {
				t.Errorf("Experiment = %v, want code %q", err, tt.read)
			}
			if list, err := f.app.Experiments(ctx, who); err != nil || len(list) != tt.listed {
				t.Errorf("Experiments = %d, %v; want %d listed", len(list), err, tt.listed)
			}
			_, err := f.app.AssignExperiment(ctx, who, e.ID, "", nil)
			if code := rhythm.ErrorCode(err); code != tt.assign && !(tt.assign == "" && code == rhythm.ECONFLICT) {
				t.Errorf("AssignExperiment = %v, want code %q", err, tt.assign)
			}
		})
	}
}
