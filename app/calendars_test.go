package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/app"
)

// TestCalendarVisibility: a member sees and manages their own connection
// only; a lead sees every connection of the team; another team's
// connection is not found.
func TestCalendarVisibility(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	team := func(id int64) string { return rhythmID(id) }
	own, err := f.app.ConnectCalendar(ctx, f.actors["member"], team(f.teamA.ID), app.CalendarInput{ICSURL: "https://calendar.example.com/own/secret-abcdefgh.ics"})
	if err != nil || own.Member != "member@example.com" || own.Hint != ".ics" || own.URLSealed == "" {
		t.Fatalf("a member connecting without naming themselves: %+v, %v", own, err)
	}
	shared, err := f.app.ConnectCalendar(ctx, f.actors["lead"], team(f.teamA.ID), app.CalendarInput{Team: true, ICSURL: "https://calendar.example.com/room/basic.ics"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.ConnectCalendar(ctx, f.actors["member"], team(f.teamA.ID), app.CalendarInput{Member: "ana", ICSURL: "https://calendar.example.com/ana.ics"}); rhythm.ErrorCode(err) != rhythm.EFORBIDDEN {
		t.Fatalf("a member connecting someone else's calendar: %v", err)
	}
	mine, _ := f.app.Calendars(ctx, f.actors["member"], team(f.teamA.ID))
	all, _ := f.app.Calendars(ctx, f.actors["lead"], team(f.teamA.ID))
	if len(mine) != 1 || mine[0].ID != own.ID || len(all) != 2 {
		t.Fatalf("member sees %d, lead sees %d; want 1 and 2", len(mine), len(all))
	}
	if err := f.app.RemoveCalendar(ctx, f.actors["member"], team(f.teamA.ID), shared.ID); rhythm.ErrorCode(err) != rhythm.EFORBIDDEN {
		t.Fatalf("a member removing the team calendar: %v", err)
	}
	if err := f.app.RemoveCalendar(ctx, f.actors["admin"], team(f.teamB.ID), shared.ID); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
		t.Fatalf("removing through another team: %v", err)
	}
	if err := f.app.RemoveCalendar(ctx, f.actors["member"], team(f.teamA.ID), own.ID); err != nil {
		t.Fatalf("a member removing their own: %v", err)
	}
	if _, err := f.app.ConnectCalendar(ctx, f.actors["lead"], team(f.teamA.ID), app.CalendarInput{Team: true, ICSURL: "https://192.168.1.10/cal.ics"}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Fatalf("a private address: %v", err)
	}
	off := app.New(f.db, nil)
	if _, err := off.ConnectCalendar(ctx, f.actors["lead"], team(f.teamA.ID), app.CalendarInput{Team: true, ICSURL: "https://calendar.example.com/x.ics"}); rhythm.ErrorCode(err) != rhythm.EINVALID {
		t.Fatalf("without a key: %v", err)
	}
}

func rhythmID(id int64) string { return fmt.Sprint(id) }
