package audit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestU64Set(t *testing.T) {
	// Keys that share their low bits collide in the table; 0 is kept
	// apart; 5000 keys make the table grow several times.
	many := make([]uint64, 5000)
	for i := range many {
		many[i] = uint64(i) << 40
	}
	tests := []struct {
		name string
		keys []uint64
		want []bool
	}{
		{"empty", nil, nil},
		{"zero twice", []uint64{0, 0}, []bool{true, false}},
		{"zero and others", []uint64{1, 0, 1, 0, 2}, []bool{true, true, false, false, true}},
		{"colliding", []uint64{1 << 40, 2 << 40, 1 << 40, 3 << 40, 2 << 40}, []bool{true, true, false, true, false}},
		{"all ones", []uint64{^uint64(0), ^uint64(0)}, []bool{true, false}},
		{"growing", append(many, many...), append(repeat(true, len(many)), repeat(false, len(many))...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s u64set
			var got []bool
			for _, k := range tc.keys {
				got = append(got, s.add(k))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("add results (-want +got):\n%s", diff)
			}
		})
	}
}

func repeat(b bool, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = b
	}
	return out
}

func TestU64Index(t *testing.T) {
	type got struct {
		N     int32
		Added bool
	}
	many := make([]uint64, 3000)
	var manyWant, againWant []got
	for i := range many {
		many[i] = uint64(i+1) << 40
		manyWant = append(manyWant, got{int32(i), true})
		againWant = append(againWant, got{int32(i), false})
	}
	tests := []struct {
		name string
		keys []uint64
		want []got
	}{
		{"empty", nil, nil},
		{"zero is a key", []uint64{0, 7, 0}, []got{{0, true}, {1, true}, {0, false}}},
		{"colliding", []uint64{1 << 40, 2 << 40, 1 << 40, 3 << 40, 2 << 40},
			[]got{{0, true}, {1, true}, {0, false}, {2, true}, {1, false}}},
		{"growing", append(many, many...), append(manyWant, againWant...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var x u64index
			var out []got
			for _, k := range tc.keys {
				n, added := x.index(k)
				out = append(out, got{n, added})
			}
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("index results (-want +got):\n%s", diff)
			}
		})
	}
}
