package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rhythm-team/rhythm/pulse"
)

// TestMembersDoNotSeeLiveResponseCount: a member watching the count rise
// learns who answered when; only leads and admins see it (finding 16 of
// issue 16).
func TestMembersDoNotSeeLiveResponseCount(t *testing.T) {
	f := newSQLiteFixture(t)
	ctx := context.Background()
	f.setNow(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	rd, err := f.db.CreateRound(ctx, "Alpha", pulse.Round{Opens: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	ana := f.teamA.Members[2]
	if err := f.db.SubmitResponse(ctx, rd.ID, ana.ID, pulse.Answers{"enps": 7, "connected": 3, "uninterrupted_time": 3, "meetings_worthwhile": 3}); err != nil {
		t.Fatal(err)
	}
	api := fmt.Sprintf("/api/v1/teams/%d/pulse/rounds", f.teamA.ID)
	page := fmt.Sprintf("/teams/%d/pulse", f.teamA.ID)
	_, body := f.jsonReq(t, "member", "GET", api, "")
	if strings.Contains(body, `"responses"`) {
		t.Errorf("member's round list shows the count: %s", body)
	}
	if p := f.request(t, "member", "GET", page, nil, nil).Body.String(); strings.Contains(p, `data-label="Responses"`) {
		t.Errorf("member's pulse page shows the count")
	}
	_, body = f.jsonReq(t, "lead", "GET", api, "")
	if !strings.Contains(body, `"responses":1`) {
		t.Errorf("lead's round list lacks the count: %s", body)
	}
	if p := f.request(t, "lead", "GET", page, nil, nil).Body.String(); !strings.Contains(p, `<td data-label="Responses">1</td>`) {
		t.Errorf("lead's pulse page lacks the count")
	}
}
