package store

import (
	"context"
	"database/sql"
	"time"
)

// scanner is a row to scan: *sql.Row or *sql.Rows. Each entity has one
// scanX(scanner) function that reads its columns.
type scanner interface{ Scan(...any) error }

// queryAll runs a query written with ? placeholders and reads every row
// with scan. The result is never nil, so an empty list encodes as [] in
// JSON.
func queryAll[T any](ctx context.Context, tx *Tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return []T{}, err
	}
	return scanRows(rows, scan)
}

// scanRows reads every row of rows with scan and closes them.
func scanRows[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// unix is the stored form of an instant: seconds since the epoch, 0 for
// the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix reads an instant stored by unix, in UTC.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}
