package gen

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

const slackTeam = "T0ACME0001"

type convKind int

const (
	kPublic convKind = iota
	kPrivate
	kDM
	kMPIM
)

type sconv struct {
	id, name string
	kind     convKind
	members  []int // people
	guests   []int // external guests
	created  time.Time
}

func (c *sconv) folder() string {
	if c.kind == kDM {
		return c.id
	}
	return c.name
}

type sreply struct {
	user, ts string
}

type smsg struct {
	t        time.Time
	ts       string
	user     int // person index; -1-k for guest k; botUser for the bot
	subtype  string
	words    int
	mentions []int
	link     bool
	threadTS string
	parent   int
	replies  []sreply
	huddle   *shuddle
	react    bool
}

type shuddle struct {
	start, end time.Time
	people     []int
}

const botUser = math.MinInt32

type bucketKey struct {
	conv, day int
}

type slackGen struct {
	d       *Dataset
	rng     *rand.Rand
	convs   []*sconv
	general int
	random  int
	deploys int
	leads   int
	squadCh []int
	projCh  []int
	shared  int
	mpims   [][]int // per person: mpim conv indexes
	dms     map[[2]int]int
	guests  []string // slack IDs of external guests
	botID   string
	buckets map[bucketKey][]*smsg
	flushed int // days before this one are written
	w       jw
	n       int // messages generated
}

// WriteSlack writes a Slack workspace export as a zip archive.
func (d *Dataset) WriteSlack(out io.Writer) error {
	g := &slackGen{d: d, rng: d.rng(3), dms: map[[2]int]int{}, buckets: map[bucketKey][]*smsg{}}
	g.setup()
	zw := zip.NewWriter(out)
	var pool []*flate.Writer // the zip writer uses one at a time
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if n := len(pool); n > 0 {
			fw := pool[n-1]
			pool = pool[:n-1]
			fw.Reset(w)
			return &pooledFlate{fw, &pool}, nil
		}
		fw, err := flate.NewWriter(w, flate.BestSpeed)
		return &pooledFlate{fw, &pool}, err
	})
	days := d.days()
	for di, day := range days {
		g.simulateDay(di, day)
		if err := g.flush(zw, di-4); err != nil {
			return err
		}
	}
	if err := g.flush(zw, len(days)+10); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		fn   func()
	}{
		{"users.json", g.users},
		{"channels.json", func() { g.convList(kPublic) }},
		{"groups.json", func() { g.convList(kPrivate) }},
		{"dms.json", func() { g.convList(kDM) }},
		{"mpims.json", func() { g.convList(kMPIM) }},
	} {
		g.w = jw{b: g.w.b[:0]}
		f.fn()
		if err := g.writeEntry(zw, f.name, g.w.b, d.cfg.Start); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (g *slackGen) writeEntry(zw *zip.Writer, name string, body []byte, mod time.Time) error {
	method := zip.Deflate
	if g.d.cfg.Uncompressed {
		method = zip.Store
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: mod})
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

func (g *slackGen) addConv(c *sconv) int {
	c.created = g.d.cfg.Start.Add(-time.Duration(30+g.rng.IntN(300)) * 24 * time.Hour)
	g.convs = append(g.convs, c)
	return len(g.convs) - 1
}

func (g *slackGen) setup() {
	d := g.d
	all := make([]int, len(d.people))
	for i := range all {
		all[i] = i
	}
	for i := range 3 {
		g.guests = append(g.guests, slackID(g.rng, 'U'))
		_ = i
	}
	g.botID = slackID(g.rng, 'U')
	g.general = g.addConv(&sconv{id: slackID(g.rng, 'C'), name: "general", members: all})
	g.random = g.addConv(&sconv{id: slackID(g.rng, 'C'), name: "random", members: all})
	g.deploys = g.addConv(&sconv{id: slackID(g.rng, 'C'), name: "deploys", members: all[:min(len(all), 40)]})
	var leads []int
	for si, sq := range d.squads {
		leads = append(leads, sq[0])
		name := fmt.Sprintf("team-%s", projects[si%len(projects)])
		if si >= len(projects) {
			name = fmt.Sprintf("%s-%d", name, si/len(projects)+1)
		}
		g.squadCh = append(g.squadCh, g.addConv(&sconv{id: slackID(g.rng, 'C'), name: name, members: slices.Clone(sq)}))
	}
	g.leads = g.addConv(&sconv{id: slackID(g.rng, 'G'), name: "leads", kind: kPrivate, members: leads})
	// Project channels join two or three squads.
	for k := range max(1, len(d.squads)/2) {
		var m []int
		for range 2 + g.rng.IntN(2) {
			m = append(m, d.squads[g.rng.IntN(len(d.squads))]...)
		}
		slices.Sort(m)
		m = slices.Compact(m)
		g.projCh = append(g.projCh, g.addConv(&sconv{id: slackID(g.rng, 'C'), name: fmt.Sprintf("proj-%s-%d", projects[k%len(projects)], k+1), members: m}))
	}
	// A channel shared with outside guests.
	sq := d.squads[0]
	g.shared = g.addConv(&sconv{id: slackID(g.rng, 'C'), name: "ext-partner", members: slices.Clone(sq), guests: []int{0, 1, 2}})
	// Group DMs within squads.
	g.mpims = make([][]int, len(d.people))
	for _, sq := range d.squads {
		if len(sq) < 4 {
			continue
		}
		m := slices.Clone(sq[:3+g.rng.IntN(2)])
		slices.Sort(m)
		var names []string
		for _, i := range m {
			names = append(names, d.people[i].handle)
		}
		ci := g.addConv(&sconv{id: slackID(g.rng, 'G'), name: "mpdm-" + strings.Join(names, "--") + "-1", kind: kMPIM, members: m})
		for _, i := range m {
			g.mpims[i] = append(g.mpims[i], ci)
		}
	}
}

func (g *slackGen) dm(a, b int) int {
	if a > b {
		a, b = b, a
	}
	k := [2]int{a, b}
	if c, ok := g.dms[k]; ok {
		return c
	}
	c := g.addConv(&sconv{id: slackID(g.rng, 'D'), kind: kDM, members: []int{a, b}})
	g.dms[k] = c
	return c
}

func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func lognormal(rng *rand.Rand, median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(rng.NormFloat64()*sigma))
}

// post adds a message to its conversation's day bucket. It returns nil when
// the message falls outside the data or on a day already written.
func (g *slackGen) post(ci int, m *smsg) *smsg {
	if m.t.Before(g.d.cfg.Start) || !m.t.Before(g.d.end()) {
		return nil
	}
	day := int(m.t.Sub(g.d.cfg.Start) / (24 * time.Hour))
	if day < g.flushed {
		return nil
	}
	m.t = m.t.Truncate(time.Second).Add(time.Duration(g.rng.IntN(1_000_000)) * time.Microsecond)
	m.ts = fmt.Sprintf("%d.%06d", m.t.Unix(), m.t.Nanosecond()/1000)
	k := bucketKey{ci, day}
	g.buckets[k] = append(g.buckets[k], m)
	g.n++
	return m
}

// responseDelay is how long person r takes to answer: log-normal around
// a personal median, and mostly within r's working hours.
func (g *slackGen) respond(r int, after time.Time) time.Time {
	p := g.d.people[r]
	t := after.Add(time.Minute + lognormal(g.rng, time.Duration(float64(18*time.Minute)*p.slow), 1.2))
	if g.rng.Float64() < 0.88 {
		t = p.nextWorking(t, g.rng)
	}
	return t
}

func (g *slackGen) pickOther(members []int, not int) int {
	if len(members) < 2 {
		return -1
	}
	for {
		o := members[g.rng.IntN(len(members))]
		if o != not {
			return o
		}
	}
}

func (g *slackGen) simulateDay(di int, day time.Time) {
	d := g.d
	rootRate := d.cfg.MessagesPerDay / 2.3
	if di == 0 {
		for ci, c := range g.convs {
			if c.kind == kPublic && len(c.members) <= 60 {
				for _, i := range c.members[:min(len(c.members), 3)] {
					g.post(ci, &smsg{t: day.Add(time.Duration(8+i%8) * time.Hour), user: i, subtype: "channel_join"})
				}
			}
		}
	}
	for pi, p := range d.people {
		ws, ok := p.workStart(day)
		if !ok {
			if g.rng.Float64() < 0.04 { // weekend message
				ws = time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, p.loc)
			} else {
				continue
			}
		}
		length := p.Hours.Length()
		for range poisson(g.rng, rootRate*p.chatty) {
			t := ws.Add(time.Duration(g.rng.Int64N(int64(length))))
			if g.rng.Float64() < 0.06 {
				t = ws.Add(length + time.Duration(g.rng.Int64N(int64(3*time.Hour))))
			}
			g.conversation(pi, t)
		}
	}
	// Huddles: squads meet ad hoc in their channel.
	for si, sq := range d.squads {
		lead := d.people[sq[0]]
		ws, ok := lead.workStart(day)
		if !ok || g.rng.Float64() > 0.3 {
			continue
		}
		start := ws.Add(time.Duration(g.rng.Int64N(int64(lead.Hours.Length() - time.Hour)))).Truncate(time.Minute)
		h := &shuddle{start: start, end: start.Add(max(3*time.Minute, lognormal(g.rng, 20*time.Minute, 0.5))).Truncate(time.Second)}
		h.people = []int{sq[0]}
		for _, i := range sq[1:] {
			if (d.people[i].InWorkingHours(start) && g.rng.Float64() < 0.7) || g.rng.Float64() < 0.08 {
				h.people = append(h.people, i)
			}
		}
		if len(h.people) > 1 {
			g.post(g.squadCh[si], &smsg{t: start, user: sq[0], subtype: "huddle_thread", huddle: h})
		}
	}
	// The deploy bot.
	if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
		for range 3 + g.rng.IntN(6) {
			g.post(g.deploys, &smsg{t: day.Add(time.Duration(6*3600+g.rng.IntN(14*3600)) * time.Second), user: botUser, subtype: "bot_message", words: 6})
		}
	}
}

// conversation posts a message by person pi at t and the answers to it.
func (g *slackGen) conversation(pi int, t time.Time) {
	d := g.d
	p := d.people[pi]
	var ci int
	r := g.rng.Float64()
	switch {
	case r < 0.40:
		ci = g.squadCh[p.squad]
	case r < 0.62:
		sq := d.squads[p.squad]
		o := g.pickOther(sq, pi)
		if o < 0 || g.rng.Float64() < 0.2 {
			o = g.pickOther(nil, pi)
			if o < 0 {
				o = (pi + 1 + g.rng.IntN(len(d.people)-1)) % len(d.people)
			}
		}
		ci = g.dm(pi, o)
	case r < 0.74:
		ci = g.projCh[g.rng.IntN(len(g.projCh))]
	case r < 0.80:
		ci = g.general
	case r < 0.84:
		ci = g.random
	case r < 0.90 && len(g.mpims[pi]) > 0:
		ci = g.mpims[pi][g.rng.IntN(len(g.mpims[pi]))]
	case r < 0.94 && p.lead:
		ci = g.leads
	case r < 0.97 && p.squad == 0:
		ci = g.shared
	default:
		ci = g.squadCh[p.squad]
	}
	c := g.convs[ci]
	m := &smsg{t: t, user: pi, words: 4 + g.rng.IntN(30), link: g.rng.Float64() < 0.08, react: g.rng.Float64() < 0.2}
	if c.kind != kDM && g.rng.Float64() < 0.3 {
		for range 1 + g.rng.IntN(2) {
			if o := g.pickOther(c.members, pi); o >= 0 {
				m.mentions = append(m.mentions, o)
			}
		}
	}
	if g.post(ci, m) == nil {
		return
	}
	switch {
	case c.kind == kDM || c.kind == kMPIM:
		// Back and forth, unthreaded.
		prev, at := pi, m.t
		for range g.rng.IntN(5) {
			o := g.pickOther(c.members, prev)
			at = g.respond(o, at)
			if g.post(ci, &smsg{t: at, user: o, words: 2 + g.rng.IntN(20)}) == nil {
				return
			}
			prev = o
		}
	case g.rng.Float64() < 0.45:
		// A thread.
		n := 1 + int(g.rng.ExpFloat64()*1.5)
		prev, at := pi, m.t
		for range n {
			var u int
			if len(c.guests) > 0 && g.rng.Float64() < 0.25 {
				u = -1 - c.guests[g.rng.IntN(len(c.guests))]
				at = at.Add(lognormal(g.rng, 2*time.Hour, 1))
			} else {
				u = g.pickOther(c.members, prev)
				if u < 0 {
					return
				}
				at = g.respond(u, at)
			}
			if at.Sub(m.t) > 3*24*time.Hour {
				break
			}
			rp := g.post(ci, &smsg{t: at, user: u, words: 2 + g.rng.IntN(25), threadTS: m.ts, parent: pi, react: g.rng.Float64() < 0.1})
			if rp == nil {
				break
			}
			m.threadTS = m.ts
			m.replies = append(m.replies, sreply{g.userID(u), rp.ts})
			prev = u
		}
	}
}

func (g *slackGen) userID(u int) string {
	switch {
	case u == botUser:
		return g.botID
	case u < 0:
		return g.guests[-1-u]
	}
	return g.d.people[u].slackID
}

// flush writes the day files of days before upTo.
func (g *slackGen) flush(zw *zip.Writer, upTo int) error {
	var keys []bucketKey
	for k := range g.buckets {
		if k.day < upTo {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b bucketKey) int {
		if a.day != b.day {
			return a.day - b.day
		}
		return strings.Compare(g.convs[a.conv].folder(), g.convs[b.conv].folder())
	})
	for _, k := range keys {
		msgs := g.buckets[k]
		delete(g.buckets, k)
		slices.SortStableFunc(msgs, func(a, b *smsg) int { return a.t.Compare(b.t) })
		g.w = jw{b: g.w.b[:0]}
		g.w.arr()
		for _, m := range msgs {
			g.message(g.convs[k.conv], m)
		}
		g.w.endArr()
		day := g.d.cfg.Start.AddDate(0, 0, k.day)
		name := g.convs[k.conv].folder() + "/" + day.Format(time.DateOnly) + ".json"
		if err := g.writeEntry(zw, name, g.w.b, day); err != nil {
			return err
		}
	}
	g.flushed = max(g.flushed, upTo)
	return nil
}

func (g *slackGen) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0xfff, b&0xffffffffffff)
}

func (g *slackGen) sentence(b *strings.Builder, n int) {
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[g.rng.IntN(len(words))])
	}
}

func (g *slackGen) message(c *sconv, m *smsg) {
	w := &g.w
	d := g.d
	w.elem()
	w.obj()
	uid := g.userID(m.user)
	switch m.subtype {
	case "channel_join":
		w.kstr("type", "message")
		w.kstr("subtype", "channel_join")
		w.kstr("ts", m.ts)
		w.kstr("user", uid)
		w.kstr("text", "<@"+uid+"> has joined the channel")
		w.endObj()
		return
	case "bot_message":
		w.kstr("type", "message")
		w.kstr("subtype", "bot_message")
		var b strings.Builder
		b.WriteString("Deploy of ")
		b.WriteString(projects[g.rng.IntN(len(projects))])
		b.WriteString(" to production finished: ")
		g.sentence(&b, m.words)
		w.kstr("text", b.String())
		w.kstr("username", "deploybot")
		w.kstr("bot_id", "B0DEPLOY01")
		w.kstr("ts", m.ts)
		w.endObj()
		return
	case "huddle_thread":
		h := m.huddle
		w.kstr("type", "message")
		w.kstr("subtype", "huddle_thread")
		w.kstr("text", "")
		w.kstr("user", uid)
		w.kstr("ts", m.ts)
		w.kstr("channel", c.id)
		w.kbool("no_notifications", true)
		w.key("room")
		w.obj()
		w.kstr("id", slackID(g.rng, 'R'))
		w.kstr("name", "")
		w.kstr("media_server", "")
		w.kstr("created_by", uid)
		w.knum("date_start", h.start.Unix())
		w.knum("date_end", h.end.Unix())
		var ids []string
		for _, i := range h.people {
			ids = append(ids, d.people[i].slackID)
		}
		w.kstrs("participants", nil)
		w.kstrs("participant_history", ids)
		w.kstrs("participants_camera_on", nil)
		w.kstrs("participants_camera_off", ids[:1])
		w.kstrs("participants_screenshare_on", nil)
		w.kstrs("participants_screenshare_off", nil)
		w.kstr("canvas_thread_ts", m.ts)
		w.kstr("thread_root_ts", m.ts)
		w.kstrs("channels", []string{c.id})
		w.kbool("is_dm_call", false)
		w.kbool("was_rejected", false)
		w.kbool("was_missed", false)
		w.kbool("was_accepted", false)
		w.kbool("has_ended", true)
		w.kstr("background_id", "GRADIENT_03")
		w.kstr("canvas_background", "GRADIENT_03")
		w.kbool("is_prewarmed", false)
		w.kbool("is_scheduled", false)
		w.kstrs("attached_file_ids", nil)
		w.kstr("media_backend_type", "free_willy")
		w.kstr("display_id", "")
		w.kstr("external_unique_id", g.uuid())
		w.kstr("app_id", "A00")
		w.kstr("call_family", "huddle")
		w.key("pending_invitees")
		w.obj()
		w.endObj()
		w.key("last_invite_status_by_user")
		w.obj()
		w.endObj()
		w.endObj()
		w.kstr("permalink", "https://acme.slack.com/archives/"+c.id+"/p"+strings.ReplaceAll(m.ts, ".", ""))
		w.endObj()
		return
	}
	// A person's (or guest's) message: text, blocks and profile as Slack
	// writes them.
	var text strings.Builder
	type seg struct {
		user string
		text string
	}
	var segs []seg
	for _, o := range m.mentions {
		id := d.people[o].slackID
		text.WriteString("<@" + id + "> ")
		segs = append(segs, seg{user: id}, seg{text: " "})
	}
	var body strings.Builder
	g.sentence(&body, m.words)
	if m.link {
		body.WriteString(" see <https://docs.acme.example/" + projects[g.rng.IntN(len(projects))] + "|the doc>")
	}
	body.WriteString(".")
	text.WriteString(body.String())
	segs = append(segs, seg{text: body.String()})
	w.kstr("client_msg_id", g.uuid())
	w.kstr("type", "message")
	w.kstr("text", text.String())
	w.kstr("user", uid)
	w.kstr("ts", m.ts)
	w.key("blocks")
	w.arr()
	w.elem()
	w.obj()
	w.kstr("type", "rich_text")
	w.kstr("block_id", g.uuid()[:5])
	w.key("elements")
	w.arr()
	w.elem()
	w.obj()
	w.kstr("type", "rich_text_section")
	w.key("elements")
	w.arr()
	for _, s := range segs {
		w.elem()
		w.obj()
		if s.user != "" {
			w.kstr("type", "user")
			w.kstr("user_id", s.user)
		} else {
			w.kstr("type", "text")
			w.kstr("text", s.text)
		}
		w.endObj()
	}
	w.endArr()
	w.endObj()
	w.endArr()
	w.endObj()
	w.endArr()
	w.kstr("team", slackTeam)
	w.kstr("user_team", slackTeam)
	w.kstr("source_team", slackTeam)
	w.key("user_profile")
	w.obj()
	var first, real, handle string
	if m.user >= 0 {
		p := d.people[m.user]
		first, real, handle = p.first, p.Name, p.handle
	} else {
		e := externals[-1-m.user]
		real = e.name
		first, _, _ = strings.Cut(real, " ")
		handle = strings.ToLower(first)
	}
	w.kstr("avatar_hash", fmt.Sprintf("%010x", crc32.ChecksumIEEE([]byte(uid))))
	w.kstr("image_72", "https://avatars.slack-edge.com/2025-01-01/"+uid+"_72.png")
	w.kstr("first_name", first)
	w.kstr("real_name", real)
	w.kstr("display_name", handle)
	w.kstr("team", slackTeam)
	w.kstr("name", handle)
	w.kbool("is_restricted", m.user < 0)
	w.kbool("is_ultra_restricted", false)
	w.endObj()
	if m.threadTS != "" {
		w.kstr("thread_ts", m.threadTS)
		if m.threadTS == m.ts {
			w.knum("reply_count", int64(len(m.replies)))
			var users []string
			for _, r := range m.replies {
				if !slices.Contains(users, r.user) {
					users = append(users, r.user)
				}
			}
			w.knum("reply_users_count", int64(len(users)))
			w.kstr("latest_reply", m.replies[len(m.replies)-1].ts)
			w.kstrs("reply_users", users)
			w.key("replies")
			w.arr()
			for _, r := range m.replies {
				w.elem()
				w.obj()
				w.kstr("user", r.user)
				w.kstr("ts", r.ts)
				w.endObj()
			}
			w.endArr()
			w.kbool("is_locked", false)
			w.kbool("subscribed", false)
		} else {
			w.kstr("parent_user_id", g.userID(m.parent))
		}
	}
	if m.react {
		w.key("reactions")
		w.arr()
		w.elem()
		w.obj()
		w.kstr("name", []string{"+1", "eyes", "tada", "white_check_mark", "pray"}[g.rng.IntN(5)])
		w.kstrs("users", []string{g.userID(g.pickOther(c.members, m.user))})
		w.knum("count", 1)
		w.endObj()
		w.endArr()
	}
	w.endObj()
}

func (g *slackGen) users() {
	w := &g.w
	d := g.d
	w.arr()
	user := func(id, name, real, email, tz string, restricted, bot bool) {
		w.elem()
		w.obj()
		w.kstr("id", id)
		w.kstr("team_id", slackTeam)
		w.kstr("name", name)
		w.kbool("deleted", false)
		w.kstr("color", "9f69e7")
		w.kstr("real_name", real)
		if tz != "" {
			w.kstr("tz", tz)
		}
		w.key("profile")
		w.obj()
		w.kstr("title", "")
		w.kstr("real_name", real)
		w.kstr("display_name", name)
		if email != "" {
			w.kstr("email", email)
		}
		w.kstr("image_72", "https://avatars.slack-edge.com/2025-01-01/"+id+"_72.png")
		w.endObj()
		w.kbool("is_admin", false)
		w.kbool("is_restricted", restricted)
		w.kbool("is_bot", bot)
		w.kbool("is_app_user", false)
		w.knum("updated", d.cfg.Start.Unix()-86400*7)
		w.endObj()
	}
	for _, p := range d.people {
		email := p.Email
		if slices.Contains(p.Aliases, p.slackID) {
			email = "" // hidden in the profile; the roster knows the ID
		}
		user(p.slackID, p.handle, p.Name, email, p.Zone, false, false)
	}
	for k, id := range g.guests {
		e := externals[k]
		first, _, _ := strings.Cut(e.name, " ")
		user(id, strings.ToLower(ascii(first)), e.name, e.email, "", true, false)
	}
	user(g.botID, "deploybot", "Deploy Bot", "", "", false, true)
	w.endArr()
}

func (g *slackGen) convList(kind convKind) {
	w := &g.w
	w.arr()
	for _, c := range g.convs {
		if c.kind != kind {
			continue
		}
		w.elem()
		w.obj()
		w.kstr("id", c.id)
		if kind != kDM {
			w.kstr("name", c.name)
		}
		w.knum("created", c.created.Unix())
		var ids []string
		for _, i := range c.members {
			ids = append(ids, g.d.people[i].slackID)
		}
		for _, k := range c.guests {
			ids = append(ids, g.guests[k])
		}
		if kind != kDM {
			w.kstr("creator", ids[0])
			w.kbool("is_archived", false)
			w.kbool("is_general", c.name == "general")
		}
		w.kstrs("members", ids)
		if kind != kDM {
			w.key("topic")
			w.obj()
			w.kstr("value", "")
			w.kstr("creator", "")
			w.knum("last_set", 0)
			w.endObj()
			w.key("purpose")
			w.obj()
			w.kstr("value", "Work on "+c.name)
			w.kstr("creator", ids[0])
			w.knum("last_set", c.created.Unix())
			w.endObj()
		}
		w.endObj()
	}
	w.endArr()
}

type pooledFlate struct {
	*flate.Writer
	pool *[]*flate.Writer
}

func (p *pooledFlate) Close() error {
	err := p.Writer.Close()
	*p.pool = append(*p.pool, p.Writer)
	return err
}
