package decide

import (
	"math"
	"strconv"
	"sync"
)

// arena builds all the text of one decision in one buffer and hands out
// strings that share a single allocation. Fields are registered with end
// and filled by finish; their owners must not move in between.
type arena struct {
	b     []byte
	dst   []*string
	spans [][2]int
}

var arenas = sync.Pool{New: func() any {
	return &arena{b: make([]byte, 0, 4096), dst: make([]*string, 0, 128), spans: make([][2]int, 0, 128)}
}}

func getArena() *arena {
	a := arenas.Get().(*arena)
	a.b, a.dst, a.spans = a.b[:0], a.dst[:0], a.spans[:0]
	return a
}

// mark returns the start of the next string.
func (a *arena) mark() int { return len(a.b) }

// end registers the text written since start as the value of *dst.
func (a *arena) end(start int, dst *string) {
	a.dst = append(a.dst, dst)
	a.spans = append(a.spans, [2]int{start, len(a.b)})
}

// finish fills every registered string.
func (a *arena) finish() {
	all := string(a.b)
	for i, d := range a.dst {
		*d = all[a.spans[i][0]:a.spans[i][1]]
	}
	clear(a.dst)
	a.dst = a.dst[:0]
}

// release returns the arena to the pool.
func (a *arena) release() {
	clear(a.dst)
	if cap(a.b) <= 1<<16 {
		arenas.Put(a)
	}
}

func (a *arena) s(s string) *arena { a.b = append(a.b, s...); return a }
func (a *arena) int(n int) *arena  { a.b = strconv.AppendInt(a.b, int64(n), 10); return a }
func (a *arena) num(v float64) *arena {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		a.b = strconv.AppendInt(a.b, int64(v), 10)
	} else {
		a.b = strconv.AppendFloat(a.b, v, 'f', -1, 64)
	}
	return a
}

// signed writes v rounded to 2 places with a sign: "+1.5", "-3", "0".
func (a *arena) signed(v float64) *arena {
	v = round(v, 2)
	if v > 0 {
		a.b = append(a.b, '+')
	} else if v == 0 {
		v = 0 // no "-0"
	}
	return a.num(v)
}

// hours writes hours as "30m", "4h", "1.5h" or "3d".
func (a *arena) hours(h float64) *arena {
	switch {
	case h < 1 && h > 0:
		return a.int(int(math.Round(h * 60))).s("m")
	case h >= 48 && math.Mod(h, 24) == 0:
		return a.int(int(h / 24)).s("d")
	default:
		return a.num(round(h, 1)).s("h")
	}
}

func (a *arena) share(v float64) *arena { return a.int(int(math.Round(v * 100))).s("%") }

func (a *arena) plural(n int, one, many string) *arena {
	if n == 1 {
		return a.s("1 ").s(one)
	}
	return a.int(n).s(" ").s(many)
}

// fact writes a fact's value in its unit.
func (a *arena) fact(k int, v float64) *arena {
	if math.IsNaN(v) {
		return a.s("unknown")
	}
	switch factKinds[k] {
	case kindCount:
		return a.int(int(v))
	case kindHours:
		return a.hours(v)
	case kindLevel:
		return a.s(Level(v + 1).String())
	case kindBool:
		return a.s(yesNo(v != 0))
	case kindShare:
		return a.share(v)
	default:
		return a.num(round(v, 2))
	}
}

var pow10 = [...]float64{1, 10, 100, 1000, 10000}

func round(v float64, places int) float64 {
	s := pow10[places]
	return math.Round(v*s) / s
}

// fmtHours formats hours as arena.hours does, for the rare paths.
func fmtHours(h float64) string {
	var a arena
	return string(a.hours(h).b)
}

func plural(n int, one, many string) string {
	var a arena
	return string(a.plural(n, one, many).b)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
