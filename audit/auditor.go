package audit

import (
	"cmp"
	"hash/maphash"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// Auditor accumulates interactions for an audit. Add them one at a time,
// in any order, then call Result. An Auditor is not safe for concurrent use.
type Auditor struct {
	team  *team.Team
	cfg   Config
	ppl   []person
	index map[string]int32 // member email, alias or lower-case form → person
	zones []string         // zone names; person.zone indexes it
	wins  []*window
	// Interactions that start outside [lo, hi) are outside every window;
	// replies until hiReply may still answer messages inside one.
	lo, hi, hiReply int64

	seenMeet  map[uint64]struct{}
	seenMail  u64set
	threadIdx u64index // thread key → index into threads
	threads   threadList
	convIdx   u64index // direct conversation key → dense number
	dms       []dmMsg
	stamp     []uint32 // per person: the serial of the last interaction counted for them
	serial    uint32
	seed      maphash.Seed
	lastSrc   ingest.Source // the source of the last key, and its hash
	srcHash   uint64
	counts    InputCounts
}

// InputCounts says what an audit read and left out.
type InputCounts struct {
	// Read counts every interaction passed to Add.
	Read int `json:"read"`
	// Counted counts the interactions that entered at least one figure.
	Counted int `json:"counted"`
	// Skipped counts interactions left out, by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	// First and Last are the earliest and latest start read.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

func (c *InputCounts) skip(reason string) {
	if c.Skipped == nil {
		c.Skipped = map[string]int{}
	}
	c.Skipped[reason]++
}

// Reasons for leaving an interaction out.
const (
	skipNoTime      = "no start time"
	skipOutside     = "outside the window"
	skipAllDay      = "all-day event"
	skipNoDuration  = "no duration"
	skipTooLong     = "24 h or longer"
	skipFewPeople   = "fewer than 2 people"
	skipDuplicate   = "duplicate"
	skipNoMember    = "no team member taking part"
	skipOnlyThreads = "after the window (used for reply times only)"
)

// person is a roster member and what the audit keeps about them.
type person struct {
	m    *team.Member
	loc  *time.Location
	zone int32
	// work are the member's working intervals over the audit, in order;
	// cum[i] is the working time before work[i], in seconds.
	work []span
	cum  []int64
	// first[d] is the index of the first working interval that ends after
	// base + d days, a shortcut into work.
	base     int64
	first    []int32
	meetings []meeting
}

// span is a half-open interval [s, e) of Unix seconds.
type span struct{ s, e int64 }

// meeting is one meeting a person attended.
type meeting struct {
	s, e  int64
	flags uint8
}

// Meeting flags.
const (
	fRecurring uint8 = 1 << iota
	fLong
	fLarge
	fOverMax
)

// window is one audited period and the per-person-day counters of the
// async interactions in it.
type window struct {
	w          Window
	utcS, utcE int64     // the window in UTC, for counts of distinct meetings
	days       [][]int64 // per person: local midnights, From..To+1
	// ds are per person and local day what Add needs at hand, in one
	// place: the day's start and shift, and its counters.
	ds     [][]dayState
	ahHour [][24]uint32 // per person: after-hours messages by local hour
	meet   MeetingCounts
	// counted counts the interactions that entered the window's figures;
	// last is the serial of the last one.
	counted int
	last    uint32
}

// mark counts interaction serial for the window, once.
func (w *window) mark(serial uint32) {
	if w.last != serial {
		w.last = serial
		w.counted++
	}
}

// dayState is one local day of one person: when it starts, the working
// shift that starts on it, and the counts of their async interactions.
type dayState struct {
	mid    int64 // local midnight
	ws, we int64 // the shift starting this day, [ws, we); empty when ws == we
	dayCount
}

// dayCount counts one person's async interactions on one local day.
type dayCount struct {
	chat, mail, received, afterHours, replies uint32
}

// thread is what an audit keeps about one async thread: its start and
// the earliest replies by two different authors, which is enough to find
// the first reply by someone other than the starter in any input order.
type thread struct {
	root, r1, r2       int64 // Unix seconds; 0 when not seen
	rootBy, r1By, r2By who
	zones              uint64 // bit z: someone in zone z wrote in the thread
	replies            int32
}

// threadList holds threads in fixed-size blocks, so that it grows without
// copying.
type threadList struct {
	blocks [][]thread
	n      int32
}

const threadBlock = 1 << 12

func (l *threadList) add() int32 {
	if int(l.n)%threadBlock == 0 {
		l.blocks = append(l.blocks, make([]thread, threadBlock))
	}
	l.n++
	return l.n - 1
}

func (l *threadList) at(i int32) *thread { return &l.blocks[i/threadBlock][i%threadBlock] }

// dmMsg is an unthreaded message in a direct conversation (a DM or a
// group DM): three words, no text. Result puts each conversation's
// messages in order to find its first replies, so that the order of
// input does not matter.
type dmMsg struct {
	t    int64 // Unix nanoseconds
	by   who
	conv int32 // the conversation, numbered as first seen
}

// response is one first reply by a member.
type response struct {
	msg, reply int64
	by         int32
}

// who identifies an author: a member (memberBit | index) or a hash of
// another identity; 0 is unknown.
type who uint64

const memberBit who = 1 << 63

func (w who) member() int32 {
	if w&memberBit == 0 {
		return -1
	}
	return int32(w &^ memberBit)
}

// New returns an Auditor for team t. It fails with EINVALID when the
// configuration is invalid for the team.
func New(t *team.Team, cfg Config) (*Auditor, error) {
	if err := cfg.check(t); err != nil {
		return nil, err
	}
	a := &Auditor{
		team:     t,
		cfg:      cfg,
		index:    map[string]int32{},
		seenMeet: map[uint64]struct{}{},
		seed:     maphash.MakeSeed(),
		stamp:    make([]uint32, len(t.Members)),
	}
	zoneIdx := map[string]int32{}
	a.ppl = make([]person, len(t.Members))
	for i := range t.Members {
		m := &t.Members[i]
		p := &a.ppl[i]
		p.m, p.loc = m, m.Location()
		z, ok := zoneIdx[m.Zone]
		if !ok {
			z = int32(len(a.zones))
			zoneIdx[m.Zone] = z
			a.zones = append(a.zones, m.Zone)
		}
		p.zone = z
		for _, id := range append([]string{m.Email}, m.Aliases...) {
			for _, k := range []string{id, strings.ToLower(strings.TrimSpace(id))} {
				if _, taken := a.index[k]; !taken && k != "" {
					a.index[k] = int32(i)
				}
			}
		}
	}
	for _, w := range []Window{cfg.Window, cfg.Compare} {
		if !w.IsZero() {
			a.wins = append(a.wins, a.newWindow(w))
		}
	}
	a.lo, a.hi = a.wins[0].days[0][0], a.wins[0].days[0][0]
	for _, w := range a.wins {
		for _, d := range w.days {
			a.lo = min(a.lo, d[0])
			a.hi = max(a.hi, d[len(d)-1])
		}
	}
	a.hiReply = a.hi + int64(ReplyHorizon/time.Second)
	from, to := time.Unix(a.lo, 0), time.Unix(a.hiReply, 0)
	for i := range a.ppl {
		p := &a.ppl[i]
		ivs := p.m.WorkingIntervals(from, to)
		p.work = make([]span, len(ivs))
		p.cum = make([]int64, len(ivs)+1)
		for k, iv := range ivs {
			p.work[k] = span{iv.Start.Unix(), iv.End.Unix()}
			p.cum[k+1] = p.cum[k] + p.work[k].e - p.work[k].s
		}
		p.base = a.lo
		p.first = make([]int32, (a.hiReply-a.lo)/86400+1)
		j := 0
		for d := range p.first {
			for j < len(p.work) && p.work[j].e <= p.base+int64(d)*86400 {
				j++
			}
			p.first[d] = int32(j)
		}
	}
	for _, w := range a.wins {
		a.setShifts(w)
	}
	return a, nil
}

func (a *Auditor) newWindow(w Window) *window {
	n := w.Days()
	win := &window{
		w:      w,
		utcS:   w.From.In(time.UTC).Unix(),
		utcE:   w.To.In(time.UTC).AddDate(0, 0, 1).Unix(),
		days:   make([][]int64, len(a.ppl)),
		ds:     make([][]dayState, len(a.ppl)),
		ahHour: make([][24]uint32, len(a.ppl)),
	}
	for i := range a.ppl {
		loc := a.ppl[i].loc
		d := make([]int64, n+1)
		for k := range d {
			d[k] = time.Date(w.From.Year, w.From.Month, w.From.Day+k, 0, 0, 0, 0, loc).Unix()
		}
		win.days[i] = d
		ds := make([]dayState, n+1)
		for k := range ds {
			ds[k].mid = d[k]
		}
		win.ds[i] = ds
	}
	return win
}

// setShifts records each person's shifts in the window's days.
func (a *Auditor) setShifts(w *window) {
	for i := range a.ppl {
		p := &a.ppl[i]
		ds := w.ds[i]
		j := p.at(ds[0].mid)
		for k := range len(ds) - 1 {
			for j < len(p.work) && p.work[j].s < ds[k].mid {
				j++
			}
			if j < len(p.work) && p.work[j].s < ds[k+1].mid {
				ds[k].ws, ds[k].we = p.work[j].s, p.work[j].e
			}
		}
	}
}

// working reports whether t, on local day k of person i, is in their
// working time.
func (w *window) working(p *person, i int32, k int, t int64) bool {
	ds := w.ds[i]
	if ds[k].ws <= t && t < ds[k].we {
		return true
	}
	if k > 0 {
		return ds[k-1].ws <= t && t < ds[k-1].we
	}
	return p.working(t)
}

// day returns the index of person p's local day at t in the window, or -1.
func (w *window) day(p int32, t int64) int {
	d := w.ds[p]
	if t < d[0].mid || t >= d[len(d)-1].mid {
		return -1
	}
	// Local days are 23 to 25 hours long: start from the estimate.
	k := min(int((t-d[0].mid)/86400), len(d)-2)
	for d[k].mid > t {
		k--
	}
	for d[k+1].mid <= t {
		k++
	}
	return k
}

// at returns the index of the first working interval of p that ends
// after t.
func (p *person) at(t int64) int {
	w := p.work
	if d := (t - p.base) / 86400; t >= p.base && d < int64(len(p.first)) {
		j := int(p.first[d])
		for j < len(w) && w[j].e <= t {
			j++
		}
		return j
	}
	lo, hi := 0, len(w)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if w[mid].e <= t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// working reports whether t is in p's working time.
func (p *person) working(t int64) bool {
	i := p.at(t)
	return i < len(p.work) && p.work[i].s <= t
}

// worked returns p's working seconds before t (within the audit's span).
func (p *person) worked(t int64) int64 {
	i := p.at(t)
	if i == len(p.work) {
		return p.cum[i]
	}
	return p.cum[i] + max(0, t-p.work[i].s)
}

// member returns the person with the given roster identity, or -1.
func (a *Auditor) member(id string) int32 {
	if i, ok := a.index[id]; ok {
		return i
	}
	if i, ok := a.index[strings.ToLower(strings.TrimSpace(id))]; ok {
		return i
	}
	return -1
}

// identify returns the author identity of id. Identities off the roster
// are hashed without the audit's seed, so that the order of equal-time
// messages by two of them (see dmResponses) is the same in every run.
func (a *Auditor) identify(id string) (who, int32) {
	if id == "" {
		return 0, -1
	}
	if i := a.member(id); i >= 0 {
		return memberBit | who(i), i
	}
	h := who(14695981039346656037) // FNV-1a
	for k := range len(id) {
		h = (h ^ who(id[k])) * 1099511628211
	}
	return max(h&^memberBit, 1), -1
}

// key hashes a source and an identifier into a map key.
func (a *Auditor) key(src ingest.Source, id string) uint64 {
	if src != a.lastSrc {
		a.lastSrc, a.srcHash = src, bits.RotateLeft64(maphash.String(a.seed, string(src)), 31)
	}
	return maphash.String(a.seed, id) ^ a.srcHash
}

// fresh reports whether person i has not been counted yet for the current
// interaction, and marks them.
func (a *Auditor) fresh(i int32) bool {
	if a.stamp[i] == a.serial {
		return false
	}
	a.stamp[i] = a.serial
	return true
}

// Add takes one interaction into the audit.
func (a *Auditor) Add(in *ingest.Interaction) {
	a.counts.Read++
	a.serial++
	if a.serial == 0 { // wrapped: forget old stamps
		clear(a.stamp)
		a.serial = 1
	}
	if in.Start.IsZero() {
		a.counts.skip(skipNoTime)
		return
	}
	if a.counts.First.IsZero() || in.Start.Before(a.counts.First) {
		a.counts.First = in.Start.UTC()
	}
	if in.Start.After(a.counts.Last) {
		a.counts.Last = in.Start.UTC()
	}
	mode := in.Mode
	if mode == "" {
		mode = ingest.ModeOf(in.Kind)
	}
	if mode == ingest.Sync {
		a.addSync(in)
	} else {
		a.addAsync(in)
	}
}

func (a *Auditor) addSync(in *ingest.Interaction) {
	s, e := in.Start.Unix(), in.End.Unix()
	switch {
	case in.AllDay:
		a.counts.skip(skipAllDay)
		return
	case e <= s:
		a.counts.skip(skipNoDuration)
		return
	case in.End.Sub(in.Start) >= MaxEventLength:
		a.counts.skip(skipTooLong)
		return
	case e <= a.lo || s >= a.hi:
		a.counts.skip(skipOutside)
		return
	}
	attendees := in.Attendees()
	if attendees < 2 {
		a.counts.skip(skipFewPeople)
		return
	}
	var k uint64
	if in.ID != "" {
		k = a.key(in.Source, in.ID)
	} else {
		k = a.key(in.Source, in.Start.UTC().Format(time.RFC3339)+"/"+in.End.UTC().Format(time.RFC3339)+"/"+in.Organizer)
	}
	if _, dup := a.seenMeet[k]; dup {
		a.counts.skip(skipDuplicate)
		return
	}
	a.seenMeet[k] = struct{}{}
	d := in.End.Sub(in.Start)
	var flags uint8
	if in.Recurring {
		flags |= fRecurring
	}
	if d > LongMeeting {
		flags |= fLong
	}
	if attendees > LargeMeeting {
		flags |= fLarge
	}
	if d > a.team.Norms.MeetingMax.D() && a.team.Norms.MeetingMax > 0 {
		flags |= fOverMax
	}
	n := 0
	noDay := false
	add := func(i int32) {
		if i >= 0 && a.fresh(i) {
			p := &a.ppl[i]
			p.meetings = append(p.meetings, meeting{s: s, e: e, flags: flags})
			n++
			if !noDay && a.team.Norms.NoMeetingDay != team.NoDay {
				noDay = a.team.Norms.NoMeetingDay.Is(in.Start.In(p.loc).Weekday())
			}
		}
	}
	organizerListed := in.Organizer == ""
	orgIdx := int32(-1)
	if !organizerListed {
		orgIdx = a.member(in.Organizer)
	}
	for _, p := range in.Participants {
		i := a.member(p.ID)
		if i >= 0 && i == orgIdx {
			organizerListed = true
		}
		if !p.Declined() {
			add(i)
		}
	}
	if !organizerListed {
		add(orgIdx)
	}
	if n == 0 {
		a.counts.skip(skipNoMember)
		return
	}
	a.counts.Counted++
	for _, w := range a.wins {
		if s >= w.utcS && s < w.utcE {
			w.meet.add(flags)
			if noDay {
				w.meet.NoMeetingDay++
			}
			w.mark(a.serial)
		}
	}
}

func (a *Auditor) addAsync(in *ingest.Interaction) {
	t := in.Start.Unix()
	if t < a.lo || t >= a.hiReply {
		a.counts.skip(skipOutside)
		return
	}
	email := in.Kind == ingest.Email
	// The same message from two exports (or two packings of one)
	// counts once: mail by Message-ID, chat by channel and ts.
	if in.ID != "" {
		if !a.seenMail.add(a.key(in.Source, in.ID)) {
			a.counts.skip(skipDuplicate)
			return
		}
	}
	isReply := in.Kind == ingest.Reply || in.InReplyTo != ""
	by, author := a.identify(in.Organizer)
	if t < a.hi {
		counted := false
		if author >= 0 {
			a.fresh(author)
			p := &a.ppl[author]
			hour := -1
			for _, w := range a.wins {
				d := w.day(author, t)
				if d < 0 {
					continue
				}
				counted = true
				w.mark(a.serial)
				off := !w.working(p, author, d, t)
				c := &w.ds[author][d]
				if email {
					c.mail++
				} else {
					c.chat++
				}
				if isReply {
					c.replies++
				}
				if off {
					c.afterHours++
					if hour < 0 {
						hour = time.Unix(t, 0).In(p.loc).Hour()
					}
					w.ahHour[author][hour]++
				}
			}
		}
		for _, pt := range in.Participants {
			i := a.member(pt.ID)
			if i < 0 || !a.fresh(i) {
				continue
			}
			for _, w := range a.wins {
				if d := w.day(i, t); d >= 0 {
					w.ds[i][d].received++
					w.mark(a.serial)
					counted = true
				}
			}
		}
		if counted {
			a.counts.Counted++
		} else if author < 0 {
			a.counts.skip(skipNoMember)
		} else {
			a.counts.skip(skipOutside)
		}
	} else {
		a.counts.skip(skipOnlyThreads)
	}
	a.trackReplies(in, t, by, author, isReply)
}

// trackReplies files message in, sent at t by by (person author, or -1
// for someone off the roster), under its thread or direct conversation,
// for first replies.
func (a *Auditor) trackReplies(in *ingest.Interaction, t int64, by who, author int32, isReply bool) {
	key := in.ThreadID
	if key == "" && isReply {
		key = in.InReplyTo
	}
	switch {
	case key != "" && by != 0:
		k := a.key(in.Source, key)
		ti, added := a.threadIdx.index(k)
		if added { // threads are numbered in order too
			a.threads.add()
		}
		th := a.threads.at(ti)
		if isReply {
			th.reply(t, by)
		} else if th.root == 0 || t < th.root {
			th.root, th.rootBy = t, by
		}
		if author >= 0 && a.ppl[author].zone < 64 {
			th.zones |= 1 << uint(a.ppl[author].zone)
		}
	case (in.ChannelKind == ingest.DM || in.ChannelKind == ingest.MPIM) && in.Channel != "" && !isReply && by != 0:
		k := a.key(in.Source, in.Channel)
		c, _ := a.convIdx.index(k)
		a.dms = append(a.dms, dmMsg{t: in.Start.UnixNano(), by: by, conv: c})
	}
}

// dmResponses appends to out the first replies by members in direct
// conversations, by the rule for DMs and group DMs alike: the first
// unthreaded message by anyone else answers the ones one person wrote
// before it, timed from the first of them. Messages at the same instant
// go in order of author, so the result does not depend on the order of
// input. Input that comes conversation by conversation, each in time
// order, as from the importers, is sorted already, which the sort notices.
func (a *Auditor) dmResponses(out []response) []response {
	slices.SortFunc(a.dms, func(x, y dmMsg) int {
		if x.conv != y.conv {
			return cmp.Compare(x.conv, y.conv)
		}
		if x.t != y.t {
			return cmp.Compare(x.t, y.t)
		}
		return cmp.Compare(x.by, y.by)
	})
	const sec = int64(time.Second)
	for k := 0; k < len(a.dms); {
		p := a.dms[k] // the first message awaiting an answer
		for k++; k < len(a.dms) && a.dms[k].conv == p.conv; k++ {
			m := a.dms[k]
			if m.by == p.by {
				continue
			}
			if i := m.by.member(); i >= 0 && p.t/sec < a.hi {
				out = append(out, response{msg: p.t / sec, reply: m.t / sec, by: i})
			}
			p = m
		}
	}
	return out
}

// reply records a reply at t by someone.
func (th *thread) reply(t int64, by who) {
	th.replies++
	switch {
	case th.r1 == 0:
		th.r1, th.r1By = t, by
	case by == th.r1By:
		th.r1 = min(th.r1, t)
	case t < th.r1:
		th.r2, th.r2By = th.r1, th.r1By
		th.r1, th.r1By = t, by
	case by == th.r2By:
		th.r2 = min(th.r2, t)
	case th.r2 == 0 || t < th.r2:
		th.r2, th.r2By = t, by
	}
}

// firstAnswer returns the first reply by someone other than the starter.
func (th *thread) firstAnswer() (int64, who, bool) {
	switch {
	case th.root == 0 || th.r1 == 0:
		return 0, 0, false
	case th.r1By != th.rootBy:
		return th.r1, th.r1By, true
	case th.r2 != 0:
		return th.r2, th.r2By, true
	}
	return 0, 0, false
}

// Counts returns what the audit has read so far.
func (a *Auditor) Counts() InputCounts {
	c := a.counts
	c.Skipped = maps.Clone(c.Skipped)
	return c
}

// MeetingCounts counts distinct meetings that started in a window (in UTC)
// with at least one team member attending.
type MeetingCounts struct {
	Meetings  int `json:"meetings"`
	Long      int `json:"long"`
	Large     int `json:"large"`
	Recurring int `json:"recurring"`
	// OverMax counts meetings longer than the team's meeting_max norm.
	OverMax int `json:"over_max"`
	// NoMeetingDay counts meetings that fell on the team's no-meeting day
	// in the local time of at least one attendee.
	NoMeetingDay int `json:"no_meeting_day"`
}

func (m *MeetingCounts) add(flags uint8) {
	m.Meetings++
	if flags&fLong != 0 {
		m.Long++
	}
	if flags&fLarge != 0 {
		m.Large++
	}
	if flags&fRecurring != 0 {
		m.Recurring++
	}
	if flags&fOverMax != 0 {
		m.OverMax++
	}
}

// zoneNames returns the team's zones in order of first appearance.
func (a *Auditor) zoneNames() []string { return slices.Clone(a.zones) }

// Span returns the instants the audit looks at: interactions that start
// outside [from, to) change nothing.
func (a *Auditor) Span() (from, to time.Time) {
	return time.Unix(a.lo, 0).UTC(), time.Unix(a.hiReply, 0).UTC()
}
