package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/sso"
	"github.com/rhythm-team/rhythm/store"
	"github.com/rhythm-team/rhythm/store/storetest"
)

// The store is the directory single sign-on decides in.
var _ sso.Directory = (*store.DB)(nil)

func testOIDCSubjects(t *testing.T, d storetest.Dialect) {
	db := storetest.OpenDSN(t, d.DSN(t))
	ctx := context.Background()
	const iss, other = "https://id.example.com", "https://other.example.com"
	admin, err := db.CreateUser(ctx, account.User{Email: "Root@Example.com", Name: "Root", Role: account.Admin}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTeam(ctx, roster(t, "Core", "ana@corp.example", "max@corp.example", "kim@corp.example")); err != nil {
		t.Fatal(err)
	}

	t.Run("lookups that find nobody are not found", func(t *testing.T) {
		if _, err := db.UserByOIDCSubject(ctx, iss, "nobody"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("UserByOIDCSubject: %v, want not found", err)
		}
		if _, err := db.FindUserByEmail(ctx, "nobody@example.com"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("FindUserByEmail: %v, want not found", err)
		}
	})
	t.Run("roster emails in any case", func(t *testing.T) {
		for email, want := range map[string]bool{"ANA@corp.example": true, "eve@corp.example": false} {
			if got, err := db.OnAnyRoster(ctx, email); err != nil || got != want {
				t.Errorf("OnAnyRoster(%s) = %v, %v; want %v", email, got, err, want)
			}
		}
	})
	t.Run("link then find by subject", func(t *testing.T) {
		if err := db.LinkOIDCSubject(ctx, admin.ID, iss, "sub-root"); err != nil {
			t.Fatal(err)
		}
		if err := db.LinkOIDCSubject(ctx, admin.ID, iss, "sub-root"); err != nil {
			t.Errorf("linking the same pair again: %v", err)
		}
		got, err := db.UserByOIDCSubject(ctx, iss, "sub-root")
		if err != nil || got.ID != admin.ID {
			t.Fatalf("UserByOIDCSubject = %+v, %v; want user %d", got, err, admin.ID)
		}
		if _, err := db.UserByOIDCSubject(ctx, other, "sub-root"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("same subject at another issuer: %v, want not found", err)
		}
	})
	member, err := db.CreateOIDCUser(ctx, account.User{Email: "ana@corp.example", Name: "Ana", Role: account.Member}, iss, "sub-ana")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("created user is linked and has no password", func(t *testing.T) {
		got, err := db.UserByOIDCSubject(ctx, iss, "sub-ana")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(member, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("(-created +read):\n%s", diff)
		}
		_, hash, err := db.UserByEmail(ctx, "ana@corp.example")
		if err != nil || hash != "" || account.CheckPassword(hash, "") {
			t.Errorf("password hash = %q, %v; want none that matches", hash, err)
		}
	})
	t.Run("conflicts", func(t *testing.T) {
		if err := db.LinkOIDCSubject(ctx, admin.ID, iss, "sub-ana"); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("a subject of another user: %v, want conflict", err)
		}
		if err := db.LinkOIDCSubject(ctx, admin.ID, iss, "sub-second"); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("a second subject at one issuer: %v, want conflict", err)
		}
		if err := db.LinkOIDCSubject(ctx, admin.ID, other, "sub-root"); err != nil {
			t.Errorf("a subject at another issuer: %v", err)
		}
		if err := db.LinkOIDCSubject(ctx, 9999, iss, "sub-ghost"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("an unknown user: %v, want not found", err)
		}
		_, err := db.CreateOIDCUser(ctx, account.User{Email: "ANA@corp.example", Name: "Ana 2", Role: account.Member}, iss, "sub-ana2")
		if rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("a second user with the email: %v, want conflict", err)
		}
		if _, err := db.UserByOIDCSubject(ctx, iss, "sub-ana2"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("a failed creation left its link: %v", err)
		}
		_, err = db.CreateOIDCUser(ctx, account.User{Email: "max@corp.example", Name: "Max", Role: account.Member}, iss, "sub-ana")
		if rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("a new user with a linked subject: %v, want conflict", err)
		}
		if _, err := db.FindUserByEmail(ctx, "max@corp.example"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("a failed creation left its user: %v", err)
		}
	})
	t.Run("roles change and the last admin stays", func(t *testing.T) {
		if err := db.SetUserRole(ctx, member.ID, account.Admin); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserRole(ctx, admin.ID, account.Member); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserRole(ctx, member.ID, account.Member); rhythm.ErrorCode(err) != rhythm.ECONFLICT {
			t.Errorf("demoting the last admin: %v, want conflict", err)
		}
		if got, _ := db.User(ctx, member.ID); got.Role != account.Admin {
			t.Errorf("role = %s, want admin", got.Role)
		}
	})
	t.Run("deleting a user removes their links", func(t *testing.T) {
		if err := db.DeleteUser(ctx, admin.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByOIDCSubject(ctx, iss, "sub-root"); rhythm.ErrorCode(err) != rhythm.ENOTFOUND {
			t.Errorf("after delete: %v, want not found", err)
		}
		if err := db.LinkOIDCSubject(ctx, member.ID, other, "sub-root"); err != nil {
			t.Errorf("the freed subject cannot be linked again: %v", err)
		}
	})
}
