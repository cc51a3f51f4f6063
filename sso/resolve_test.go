package sso_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/sso"
)

const testIssuer = "https://id.example.com"

// fakeDirectory is a Directory in memory.
type fakeDirectory struct {
	users    []account.User
	subjects map[string]int64 // issuer+" "+subject → user id
	roster   map[string]bool  // lower-case emails
}

func (d *fakeDirectory) byID(id int64) *account.User {
	for i := range d.users {
		if d.users[i].ID == id {
			return &d.users[i]
		}
	}
	return nil
}

func (d *fakeDirectory) UserByOIDCSubject(_ context.Context, issuer, subject string) (account.User, error) {
	if id, ok := d.subjects[issuer+" "+subject]; ok {
		return *d.byID(id), nil
	}
	return account.User{}, rhythm.Errorf(rhythm.ENOTFOUND, "no subject")
}

func (d *fakeDirectory) FindUserByEmail(_ context.Context, email string) (account.User, error) {
	for _, u := range d.users {
		if strings.EqualFold(u.Email, email) {
			return u, nil
		}
	}
	return account.User{}, rhythm.Errorf(rhythm.ENOTFOUND, "no user")
}

func (d *fakeDirectory) OnAnyRoster(_ context.Context, email string) (bool, error) {
	return d.roster[strings.ToLower(email)], nil
}

func (d *fakeDirectory) CreateOIDCUser(ctx context.Context, u account.User, issuer, subject string) (account.User, error) {
	if _, err := d.FindUserByEmail(ctx, u.Email); err == nil {
		return u, rhythm.Errorf(rhythm.ECONFLICT, "exists")
	}
	u.ID = int64(len(d.users) + 1)
	d.users = append(d.users, u)
	return u, d.LinkOIDCSubject(ctx, u.ID, issuer, subject)
}

func (d *fakeDirectory) LinkOIDCSubject(_ context.Context, userID int64, issuer, subject string) error {
	for k, id := range d.subjects {
		if id == userID && strings.HasPrefix(k, issuer+" ") && k != issuer+" "+subject {
			return rhythm.Errorf(rhythm.ECONFLICT, "linked to another subject")
		}
	}
	d.subjects[issuer+" "+subject] = userID
	return nil
}

func (d *fakeDirectory) SetUserRole(_ context.Context, userID int64, role account.Role) error {
	admins := 0
	for _, u := range d.users {
		if u.Role == account.Admin {
			admins++
		}
	}
	u := d.byID(userID)
	if u.Role == account.Admin && role != account.Admin && admins == 1 {
		return rhythm.Errorf(rhythm.ECONFLICT, "last admin")
	}
	u.Role = role
	return nil
}

func newFakeDirectory() *fakeDirectory {
	return &fakeDirectory{
		users: []account.User{
			{ID: 1, Email: "root@example.com", Name: "Root", Role: account.Admin},
			{ID: 2, Email: "Lea@Example.com", Name: "Lea", Role: account.Lead, LeadOf: []int64{7}},
			{ID: 3, Email: "max@example.com", Name: "Max", Role: account.Member},
			{ID: 4, Email: "second@example.com", Name: "Second admin", Role: account.Admin},
			{ID: 5, Email: "linked@example.com", Name: "Linked", Role: account.Member},
		},
		subjects: map[string]int64{testIssuer + " sub-max": 3, testIssuer + " sub-linked": 5},
		roster:   map[string]bool{"ana@corp.example": true, "max@example.com": true},
	}
}

func TestResolve(t *testing.T) {
	policy := sso.Policy{AllowedDomains: []string{"allowed.example"}, AdminGroup: "rhythm-admins", ProviderName: "Acme ID"}
	verified := func(sub, email string, groups ...string) sso.Claims {
		return sso.Claims{Issuer: testIssuer, Subject: sub, Email: email, EmailVerified: true, Name: "Some One", Groups: groups}
	}
	tests := []struct {
		name     string
		policy   sso.Policy
		claims   sso.Claims
		want     account.User // ID 0: none
		wantCode string
		wantLink bool // the subject is linked to want.ID afterwards
	}{
		{name: "stored subject wins over the email", claims: verified("sub-max", "changed@elsewhere.example"),
			want: account.User{ID: 3, Email: "max@example.com", Name: "Max", Role: account.Member}, wantLink: true},
		{name: "stored subject signs in without a verified email", claims: sso.Claims{Issuer: testIssuer, Subject: "sub-max"},
			want: account.User{ID: 3, Email: "max@example.com", Name: "Max", Role: account.Member}, wantLink: true},
		{name: "subject at another issuer is not the same account", claims: sso.Claims{Issuer: "https://other.example", Subject: "sub-max"},
			wantCode: rhythm.EFORBIDDEN},
		{name: "verified email links an existing user in any case", claims: verified("sub-lea", "lea@example.COM"),
			want: account.User{ID: 2, Email: "Lea@Example.com", Name: "Lea", Role: account.Lead, LeadOf: []int64{7}}, wantLink: true},
		{name: "unverified email links nobody", claims: sso.Claims{Issuer: testIssuer, Subject: "sub-lea", Email: "lea@example.com"},
			wantCode: rhythm.EFORBIDDEN},
		{name: "user linked to another subject is not taken over", claims: verified("sub-new", "linked@example.com"),
			wantCode: rhythm.EFORBIDDEN},
		{name: "roster person gets a member account", claims: verified("sub-ana", "Ana@corp.example"),
			want: account.User{ID: 6, Email: "Ana@corp.example", Name: "Some One", Role: account.Member}, wantLink: true},
		{name: "unverified roster email is refused", claims: sso.Claims{Issuer: testIssuer, Subject: "sub-ana", Email: "ana@corp.example"},
			wantCode: rhythm.EFORBIDDEN},
		{name: "allowed domain gets a member account", claims: verified("sub-zoe", "zoe@allowed.example"),
			want: account.User{ID: 6, Email: "zoe@allowed.example", Name: "Some One", Role: account.Member}, wantLink: true},
		{name: "unknown domain is refused", claims: verified("sub-eve", "eve@elsewhere.example"),
			wantCode: rhythm.EFORBIDDEN},
		{name: "subdomain of an allowed domain is refused", claims: verified("sub-eve", "eve@evil.allowed.example"),
			wantCode: rhythm.EFORBIDDEN},
		{name: "admin group makes a new user admin", claims: verified("sub-ana", "ana@corp.example", "staff", "rhythm-admins"),
			want: account.User{ID: 6, Email: "ana@corp.example", Name: "Some One", Role: account.Admin}, wantLink: true},
		{name: "admin group does not let an unknown domain in", claims: verified("sub-eve", "eve@elsewhere.example", "rhythm-admins"),
			wantCode: rhythm.EFORBIDDEN},
		{name: "admin group promotes a linked member", claims: verified("sub-max", "max@example.com", "rhythm-admins"),
			want: account.User{ID: 3, Email: "max@example.com", Name: "Max", Role: account.Admin}, wantLink: true},
		{name: "admin outside the group becomes a member", claims: verified("sub-root", "root@example.com"),
			want: account.User{ID: 1, Email: "root@example.com", Name: "Root", Role: account.Member}, wantLink: true},
		{name: "without an admin group roles stay as set in rhythm", policy: sso.Policy{ProviderName: "Acme ID"},
			claims: verified("sub-root", "root@example.com"),
			want:   account.User{ID: 1, Email: "root@example.com", Name: "Root", Role: account.Admin}, wantLink: true},
		{name: "a group claim needs the exact group name", claims: verified("sub-max", "max@example.com", "Rhythm-Admins", "rhythm-admins-x"),
			want: account.User{ID: 3, Email: "max@example.com", Name: "Max", Role: account.Member}, wantLink: true},
		{name: "name falls back to the email's local part", claims: sso.Claims{Issuer: testIssuer, Subject: "s", Email: "kim@allowed.example", EmailVerified: true},
			want: account.User{ID: 6, Email: "kim@allowed.example", Name: "kim", Role: account.Member}, wantLink: true},
		{name: "no subject is refused", claims: verified("", "ana@corp.example"), wantCode: rhythm.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newFakeDirectory()
			p := policy
			if tt.policy.ProviderName != "" {
				p = tt.policy
			}
			users := len(dir.users)
			got, err := sso.Resolve(context.Background(), p, tt.claims, dir)
			if code := rhythm.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("error = %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if tt.wantCode != "" {
				if len(dir.users) != users {
					t.Errorf("a refused sign-in created a user: %+v", dir.users[users:])
				}
				if msg := rhythm.ErrorMessage(err); msg == "internal error" || msg == "" {
					t.Errorf("refusal has no plain message: %v", err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
			if stored := dir.byID(got.ID); stored == nil || stored.Role != tt.want.Role {
				t.Errorf("stored user = %+v, want role %s", stored, tt.want.Role)
			}
			if id := dir.subjects[tt.claims.Issuer+" "+tt.claims.Subject]; tt.wantLink && id != tt.want.ID {
				t.Errorf("subject linked to user %d, want %d", id, tt.want.ID)
			}
		})
	}
}

func TestResolveKeepsTheLastAdmin(t *testing.T) {
	dir := newFakeDirectory()
	dir.users = dir.users[:3] // root is the only admin
	p := sso.Policy{AdminGroup: "rhythm-admins", ProviderName: "Acme ID"}
	c := sso.Claims{Issuer: testIssuer, Subject: "sub-root", Email: "root@example.com", EmailVerified: true}
	got, err := sso.Resolve(context.Background(), p, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != account.Admin || dir.byID(1).Role != account.Admin {
		t.Errorf("the last admin signed in outside the admin group: role %s, stored %s; want admin", got.Role, dir.byID(1).Role)
	}
}
