package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
)

// This file is the directory that single sign-on (package sso) decides in:
// users by the subject an OpenID Provider gives them, by email, and whether
// a roster lists an email.

// UserByOIDCSubject returns the user linked to subject at issuer, or
// ENOTFOUND.
func (db *DB) UserByOIDCSubject(ctx context.Context, issuer, subject string) (account.User, error) {
	var u account.User
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `SELECT u.id, u.email, u.name, u.role, u.created_at, u.zone FROM oidc_subjects s
			JOIN users u ON u.id = s.user_id WHERE s.issuer = ? AND s.subject = ?`, issuer, subject))
		if err != nil {
			return notFound(err, "no user signs in as %s at %s", subject, issuer)
		}
		return loadLeadOf(ctx, tx, &u)
	})
	return u, err
}

// FindUserByEmail returns the user with the email (any case), or ENOTFOUND.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (account.User, error) {
	u, _, err := db.UserByEmail(ctx, email)
	return u, err
}

// OnAnyRoster reports whether some team's roster lists the email (any case).
func (db *DB) OnAnyRoster(ctx context.Context, email string) (bool, error) {
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, "SELECT COUNT(*) FROM members WHERE email_key = ?", nameKey(email)).Scan(&n)
	})
	return n > 0, err
}

// LinkOIDCSubject links subject at issuer to a user. A subject linked to
// another user, or a user linked to another subject at the same issuer, is
// a conflict; linking the same pair again changes nothing.
func (db *DB) LinkOIDCSubject(ctx context.Context, userID int64, issuer, subject string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		return db.linkSubject(ctx, tx, userID, issuer, subject)
	})
}

func (db *DB) linkSubject(ctx context.Context, tx *Tx, userID int64, issuer, subject string) error {
	var linked int64
	err := tx.QueryRow(ctx, "SELECT user_id FROM oidc_subjects WHERE issuer = ? AND subject = ?", issuer, subject).Scan(&linked)
	switch {
	case err == nil && linked == userID:
		return nil
	case err == nil:
		return rhythm.Errorf(rhythm.ECONFLICT, "this %s account signs in to another rhythm user already", issuer)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	var users int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE id = ?", userID).Scan(&users); err != nil {
		return err
	}
	if users == 0 {
		return rhythm.Errorf(rhythm.ENOTFOUND, "user %d not found", userID)
	}
	_, err = tx.Exec(ctx, "INSERT INTO oidc_subjects (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)",
		issuer, subject, userID, db.Now().Unix())
	if db.isUnique(err) {
		return rhythm.Errorf(rhythm.ECONFLICT, "the rhythm user is linked to another %s account already", issuer)
	}
	return err
}

// CreateOIDCUser stores a user who signs in only through the provider (no
// password) and links subject at issuer to them, in one transaction.
func (db *DB) CreateOIDCUser(ctx context.Context, u account.User, issuer, subject string) (account.User, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		// An empty password hash matches no password.
		if u, err = db.createUser(ctx, tx, u, ""); err != nil {
			return err
		}
		return db.linkSubject(ctx, tx, u.ID, issuer, subject)
	})
	return u, err
}

// SetUserRole changes a user's role, keeping their name and the teams they
// lead; the last admin keeps the role (ECONFLICT).
func (db *DB) SetUserRole(ctx context.Context, userID int64, role account.Role) error {
	u, err := db.User(ctx, userID)
	if err != nil {
		return err
	}
	if u.Role == role {
		return nil
	}
	u.Role = role
	return db.UpdateUser(ctx, u)
}
