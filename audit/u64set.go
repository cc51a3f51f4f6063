package audit

// u64set is a set of keys that are hashes already (see Auditor.key), so
// a key's low bits place it in the table: open addressing with linear
// probing, at most half full. It is cheaper than a map for the one key
// per message an audit de-duplicates by.
type u64set struct {
	slots []uint64 // 0 marks an empty slot
	n     int      // keys in slots
	zero  bool     // whether the key 0 is in the set
}

// add adds k and reports whether it was not in the set before.
func (s *u64set) add(k uint64) bool {
	if k == 0 {
		added := !s.zero
		s.zero = true
		return added
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	if !s.put(k) {
		return false
	}
	s.n++
	return true
}

// put stores k, which is not 0, unless it is there already, and reports
// whether it stored it.
func (s *u64set) put(k uint64) bool {
	mask := uint64(len(s.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return false
		case 0:
			s.slots[i] = k
			return true
		}
	}
}

// grow doubles the table (to 1024 slots at first) and moves the keys.
func (s *u64set) grow() {
	old := s.slots
	s.slots = make([]uint64, max(1024, 2*len(old)))
	for _, k := range old {
		if k != 0 {
			s.put(k)
		}
	}
}

// u64index numbers keys that are hashes already, like u64set's, densely:
// 0, 1, 2, ... in the order they first come.
type u64index struct {
	slots []indexSlot
	n     int32 // keys numbered
}

// indexSlot holds a key and its number plus 1; 0 marks an empty slot.
type indexSlot struct {
	k uint64
	v int32
}

// index returns k's number, and whether k was new.
func (x *u64index) index(k uint64) (int32, bool) {
	if 2*(int(x.n)+1) > len(x.slots) {
		x.grow()
	}
	mask := uint64(len(x.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		s := &x.slots[i]
		switch {
		case s.v == 0:
			x.n++
			s.k, s.v = k, x.n
			return x.n - 1, true
		case s.k == k:
			return s.v - 1, false
		}
	}
}

// grow doubles the table (to 1024 slots at first) and moves the keys.
func (x *u64index) grow() {
	old := x.slots
	x.slots = make([]indexSlot, max(1024, 2*len(old)))
	mask := uint64(len(x.slots) - 1)
	for _, s := range old {
		if s.v == 0 {
			continue
		}
		i := s.k & mask
		for x.slots[i].v != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}
