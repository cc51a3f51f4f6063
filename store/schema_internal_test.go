package store

import (
	"slices"
	"testing"
	"time"
)

func TestDependencyOrder(t *testing.T) {
	tests := []struct {
		name    string
		tables  []table
		want    []string
		wantErr bool
	}{
		{"parents first, ties by name", []table{{name: "b", refs: []string{"c"}}, {name: "a"}, {name: "c", refs: []string{"a"}}}, []string{"a", "c", "b"}, false},
		{"a table may refer to itself", []table{{name: "messages", refs: []string{"messages", "threads"}}, {name: "threads"}}, []string{"threads", "messages"}, false},
		{"references outside the set are ignored", []table{{name: "x", refs: []string{"elsewhere"}}}, []string{"x"}, false},
		{"cycle", []table{{name: "a", refs: []string{"b"}}, {name: "b", refs: []string{"a"}}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dependencyOrder(tt.tables)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			var names []string
			for _, tb := range got {
				names = append(names, tb.name)
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("order = %v, want %v", names, tt.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	tests := map[string]kind{
		"INTEGER": kindInt, "bigint": kindInt, "smallint": kindInt, "TEXT": kindText, "character varying": kindText,
		"jsonb": kindText, "BLOB": kindBlob, "bytea": kindBlob, "boolean": kindBool, "REAL": kindFloat,
		"double precision": kindFloat, "timestamp with time zone": kindTime, "DATETIME": kindTime, "interval": kindOther,
	}
	for typ, want := range tests {
		if got := kindOf(typ); got != want {
			t.Errorf("kindOf(%q) = %d, want %d", typ, got, want)
		}
	}
}

// TestValuesNormalise checks that the forms one stored value takes in the
// two drivers sum alike, and that different values do not.
func TestValuesNormalise(t *testing.T) {
	same := [][]any{
		{int64(7), int32(7), int16(7), 7},
		{true, int64(1)},
		{false, int64(0)},
		{time.Unix(1700000000, 0).In(time.FixedZone("X", 3600)), int64(1700000000)},
		{float32(0.5), 0.5},
	}
	for _, vs := range same {
		want := string(appendValue(nil, vs[0]))
		for _, v := range vs[1:] {
			if got := string(appendValue(nil, v)); got != want {
				t.Errorf("%T %v sums as %q, want %q like %T %v", v, v, got, want, vs[0], vs[0])
			}
		}
	}
	different := []any{nil, "", []byte{}, int64(0), "0", 0.0, "N;", "a", "a;", []byte("a")}
	seen := map[string]any{}
	for _, v := range different {
		k := string(appendValue(nil, v))
		if prev, ok := seen[k]; ok {
			t.Errorf("%T %v and %T %v sum alike (%q)", prev, prev, v, v, k)
		}
		seen[k] = v
	}
}

func TestConvert(t *testing.T) {
	at := time.Unix(1700000000, 0).UTC()
	tests := []struct {
		in   any
		k    kind
		want any
	}{
		{int64(1), kindBool, true},
		{true, kindInt, int64(1)},
		{int32(5), kindInt, int64(5)},
		{at, kindInt, int64(1700000000)},
		{int64(1700000000), kindTime, at},
		{at, kindText, "2023-11-14T22:13:20Z"},
		{nil, kindInt, nil},
		{"x", kindText, "x"},
	}
	for _, tt := range tests {
		got, err := convert(tt.in, tt.k)
		if err != nil || got != tt.want {
			t.Errorf("convert(%T %v, %d) = %T %v, %v; want %T %v", tt.in, tt.in, tt.k, got, got, err, tt.want, tt.want)
		}
	}
}
