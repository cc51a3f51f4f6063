package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
	"github.com/rhythm-team/rhythm/playbook"
)

// TestRunPlaybookExtraTemplatesAndPastPreviews: a run may name a playbook
// from templates given with it (the command line's folder), and one of
// them that reuses a name is refused; with PreviewPast a run that stores
// nothing may start in the past, one that stores threads never.
func TestRunPlaybookExtraTemplatesAndPastPreviews(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	uc := f.app.WithScheduler(playbook.FairScheduler{})
	team, lead := fmt.Sprint(f.teamA.ID), f.actors["lead"]
	checkIn, _ := playbook.Builtin("one-on-one")
	checkIn.Name, checkIn.Builtin = "check-in", false
	twice, _ := playbook.Builtin("onboarding")
	twice.Builtin = false
	soon := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	roles := map[string][]string{"employee": {"ana@example.com"}, "manager": {"lead@example.com"}}

	tests := []struct {
		name      string
		playbook  string
		run       app.PlaybookRun
		threads   int
		code, err string
	}{
		{"an extra template", "check-in", app.PlaybookRun{Date: soon, Roles: roles, Templates: []playbook.Template{checkIn}, Create: true}, 1, "", ""},
		{"without it", "check-in", app.PlaybookRun{Date: soon, Roles: roles}, 0, rhythm.EINVALID, `playbook: unknown playbook "check-in"`},
		{"a built-in name again", "check-in", app.PlaybookRun{Date: soon, Roles: roles, Templates: []playbook.Template{checkIn, twice}}, 0, rhythm.EINVALID,
			`playbook "onboarding" is defined twice`},
		{"a past preview", "one-on-one", app.PlaybookRun{Date: "2020-03-02", Roles: roles, PreviewPast: true}, 0, "", ""},
		{"a past preview, not allowed", "one-on-one", app.PlaybookRun{Date: "2020-03-02", Roles: roles}, 0, rhythm.EINVALID, "date: 2020-03-02 puts the first due-by"},
		{"a past run that stores", "one-on-one", app.PlaybookRun{Date: "2020-03-02", Roles: roles, PreviewPast: true, Create: true}, 0, rhythm.EINVALID, "date: 2020-03-02 puts the first due-by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, ths, err := uc.RunPlaybook(ctx, lead, team, tt.playbook, tt.run)
			if tt.code != "" {
				if rhythm.ErrorCode(err) != tt.code || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.err) {
					t.Fatalf("err = %v, want %s starting %q", err, tt.code, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if plan.Playbook != tt.playbook || len(ths) != tt.threads {
				t.Errorf("plan of %q with %d threads stored, want %q and %d", plan.Playbook, len(ths), tt.playbook, tt.threads)
			}
			for _, th := range ths {
				if th.CreatedBy != "lead@example.com" || th.Playbook != tt.playbook {
					t.Errorf("thread created by %q from %q", th.CreatedBy, th.Playbook)
				}
			}
		})
	}
}
