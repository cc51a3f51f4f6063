package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// This file reads the schema from the database catalog, so that copies,
// backups and checksums cover every table that exists — whatever later
// migrations add — without a list kept by hand.

// table is one table as copies and checksums see it.
type table struct {
	name string
	cols []column
	// pk lists the primary-key columns in key order; a table without one
	// is ordered by all its columns.
	pk []string
	// refs are the tables its foreign keys point at.
	refs []string
}

// column is one stored (not generated) column.
type column struct {
	name string
	kind kind
	// collatable is true for PostgreSQL text types, which sort with
	// COLLATE "C" so that the order matches SQLite's byte order.
	collatable bool
	// identity is true for a PostgreSQL identity or serial column.
	identity bool
}

// kind is a column's type family, which decides how values convert
// between the dialects.
type kind int

const (
	kindOther kind = iota
	kindInt
	kindFloat
	kindText
	kindBlob
	kindBool
	kindTime
)

// kindOf maps a declared column type (SQLite) or data type (PostgreSQL) to
// its family.
func kindOf(typ string) kind {
	t := strings.ToLower(strings.TrimSpace(typ))
	switch {
	case strings.Contains(t, "interval"), strings.Contains(t, "point"):
		return kindOther
	case strings.Contains(t, "bool"):
		return kindBool
	case strings.Contains(t, "int"):
		return kindInt
	case strings.Contains(t, "timestamp"), strings.Contains(t, "datetime"), t == "date":
		return kindTime
	case strings.Contains(t, "char"), strings.Contains(t, "text"), strings.Contains(t, "clob"),
		strings.HasPrefix(t, "json"), t == "uuid":
		return kindText
	case strings.Contains(t, "blob"), t == "bytea":
		return kindBlob
	case strings.Contains(t, "real"), strings.Contains(t, "floa"), strings.Contains(t, "doub"),
		strings.Contains(t, "numeric"), strings.Contains(t, "decimal"):
		return kindFloat
	}
	return kindOther
}

// querier is what schema discovery needs: a *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// quote quotes an identifier for both dialects.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// discover returns every table of rhythm's schema (not the migration
// bookkeeping) in dependency order: a table comes after the tables its
// foreign keys reference.
func discover(ctx context.Context, q querier, dialect string) ([]table, error) {
	var (
		names []string
		err   error
	)
	if dialect == Postgres {
		names, err = strings1(ctx, q, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	} else {
		names, err = strings1(ctx, q, `SELECT name FROM pragma_table_list
			WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	}
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []table
	for _, name := range names {
		if name == versionTable {
			continue
		}
		t := table{name: name}
		if dialect == Postgres {
			err = describePostgres(ctx, q, &t)
		} else {
			err = describeSQLite(ctx, q, &t)
		}
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return dependencyOrder(tables)
}

func describeSQLite(ctx context.Context, q querier, t *table) error {
	rows, err := q.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	type pkCol struct {
		name string
		pos  int
	}
	var pk []pkCol
	for rows.Next() {
		var (
			name, typ string
			pos       int
		)
		if err := rows.Scan(&name, &typ, &pos); err != nil {
			return err
		}
		t.cols = append(t.cols, column{name: name, kind: kindOf(typ)})
		if pos > 0 {
			pk = append(pk, pkCol{name, pos})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(pk, func(a, b pkCol) int { return a.pos - b.pos })
	for _, c := range pk {
		t.pk = append(t.pk, c.name)
	}
	t.refs, err = strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1`, t.name)
	return err
}

func describePostgres(ctx context.Context, q querier, t *table) error {
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_identity = 'YES' OR COALESCE(column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated <> 'ALWAYS'
		ORDER BY ordinal_position`, t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c   column
			typ string
		)
		if err := rows.Scan(&c.name, &typ, &c.identity); err != nil {
			return err
		}
		c.kind = kindOf(typ)
		c.collatable = typ == "text" || typ == "character varying" || typ == "character"
		t.cols = append(t.cols, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t.pk, err = strings1(ctx, q, `SELECT kcu.column_name
		FROM information_schema.table_constraints tc
		JOIN information_schema.key_column_usage kcu
		  ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
		 AND kcu.table_name = tc.table_name
		WHERE tc.table_schema = current_schema() AND tc.table_name = $1 AND tc.constraint_type = 'PRIMARY KEY'
		ORDER BY kcu.ordinal_position`, t.name)
	if err != nil {
		return err
	}
	t.refs, err = strings1(ctx, q, `SELECT DISTINCT cf.relname
		FROM pg_constraint c
		JOIN pg_class cr ON cr.oid = c.conrelid
		JOIN pg_class cf ON cf.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = cr.relnamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema() AND cr.relname = $1
		ORDER BY 1`, t.name)
	return err
}

// strings1 returns the first column of every row of a query.
func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dependencyOrder sorts tables so that each comes after the tables it
// references (a reference to itself is allowed); ties go by name. A cycle
// between tables is an error.
func dependencyOrder(tables []table) ([]table, error) {
	byName := map[string]bool{}
	for _, t := range tables {
		byName[t.name] = true
	}
	done := map[string]bool{}
	var out []table
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables {
			if done[t.name] {
				continue
			}
			ready := true
			for _, r := range t.refs {
				if r != t.name && byName[r] && !done[r] {
					ready = false
					break
				}
			}
			if ready {
				done[t.name] = true
				out = append(out, t)
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, t := range tables {
				if !done[t.name] {
					left = append(left, t.name)
				}
			}
			return nil, fmt.Errorf("foreign keys form a cycle between tables %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}

// orderedSelect is the query that reads every row of t, columns in the
// given order, rows in primary-key order with byte-wise text comparison
// and NULLs first, so that SQLite and PostgreSQL return the same sequence.
func orderedSelect(dialect string, t table, cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quote(c.name)
	}
	keys := t.pk
	if len(keys) == 0 {
		for _, c := range t.cols {
			keys = append(keys, c.name)
		}
	}
	order := make([]string, len(keys))
	for i, k := range keys {
		o := quote(k)
		if dialect == Postgres {
			if c, ok := t.column(k); ok && c.collatable {
				o += ` COLLATE "C"`
			}
		} else {
			o += " COLLATE BINARY"
		}
		order[i] = o + " NULLS FIRST"
	}
	return "SELECT " + strings.Join(names, ", ") + " FROM " + quote(t.name) + " ORDER BY " + strings.Join(order, ", ")
}

func (t table) column(name string) (column, bool) {
	for _, c := range t.cols {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// sameSchema checks that dst has the tables and columns of src.
func sameSchema(src, dst []table) error {
	have := map[string]table{}
	for _, t := range dst {
		have[t.name] = t
	}
	for _, s := range src {
		d, ok := have[s.name]
		if !ok {
			return fmt.Errorf("table %s is missing in the target", s.name)
		}
		for _, c := range s.cols {
			if _, ok := d.column(c.name); !ok {
				return fmt.Errorf("column %s.%s is missing in the target", s.name, c.name)
			}
		}
		if len(d.cols) != len(s.cols) {
			return fmt.Errorf("table %s has %d columns in the source and %d in the target", s.name, len(s.cols), len(d.cols))
		}
		delete(have, s.name)
	}
	for name := range have {
		return fmt.Errorf("table %s is missing in the source", name)
	}
	return nil
}
