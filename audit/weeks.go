package audit

import (
	"cmp"
	"slices"
	"time"
)

// personWeek is one person's raw figures for one week of a window:
// seconds and counts.
type personWeek struct {
	p, wk int32
	days  int32 // days of the week inside the window
	work  int64 // working time
	// Meeting time with overlaps counted once: all of it, and the part
	// outside working time.
	meet, meetOff int64
	// Meeting time as attended, overlaps counted twice, and the parts of
	// it in recurring, long, large and over-norm meetings.
	raw, recurring, long, large, overMax int64
	noMtgDay                             int64 // meeting time on the team's no-meeting day
	nMeet, nMeetOff, nB2B, nConflict     int32
	nNoMtgDay                            int32
	focus2, focus1, frag                 int64 // free working time in stretches ≥ 2 h, ≥ 1 h, < 1 h
	chat, mail, received, afterMsgs      int32
	replies                              int32
}

// active reports whether the person was on the team that week.
func (pw *personWeek) active() bool { return pw.work > 0 }

// firstReply is one measured first reply.
type firstReply struct {
	p, wk              int32
	work, wall         int64   // seconds
	workH, wallH       float64 // the same in hours
	within, withinWall bool
}

// weeks computes every person's weeks in window w, the after-hours
// meeting time of each by local hour, and the first replies.
func (a *Auditor) weeks(w *window, responses []response) (pws [][]personWeek, heat [][24]int64, replies []firstReply) {
	pws = make([][]personWeek, len(a.ppl))
	heat = make([][24]int64, len(a.ppl))
	for i := range a.ppl {
		pws[i] = a.personWeeks(w, int32(i), &heat[i])
	}
	window := int64(a.team.Norms.ResponseWindow.D() / time.Second)
	if window <= 0 {
		window = int64(24 * time.Hour / time.Second)
	}
	replies = make([]firstReply, 0, len(responses))
	for _, r := range responses {
		if fr, ok := a.firstReply(w, r, window); ok {
			replies = append(replies, fr)
		}
	}
	return pws, heat, replies
}

// firstReply measures response r if its message lies in window w.
func (a *Auditor) firstReply(w *window, r response, window int64) (firstReply, bool) {
	d := w.day(r.by, r.msg)
	if d < 0 || r.reply < r.msg {
		return firstReply{}, false
	}
	p := &a.ppl[r.by]
	fr := firstReply{p: r.by, wk: int32(d / 7), wall: r.reply - r.msg}
	fr.work = p.worked(r.reply) - p.worked(r.msg)
	fr.workH, fr.wallH = hours(fr.work), hours(fr.wall)
	deadline := r.msg + window
	fr.withinWall = r.reply <= deadline
	fr.within = fr.withinWall
	if !fr.within && p.worked(deadline)-p.worked(r.msg) < 3600 {
		// No real chance to answer within the window: the reply is on
		// time by the end of the responder's next working stretch.
		if i := p.at(deadline); i < len(p.work) {
			fr.within = r.reply <= p.work[i].e
		}
	}
	return fr, true
}

// personWeeks computes person i's weeks in window w and adds their
// after-hours meeting time by local hour to heat.
func (a *Auditor) personWeeks(w *window, i int32, heat *[24]int64) []personWeek {
	p := &a.ppl[i]
	days := w.days[i]
	nd := len(days) - 1
	out := make([]personWeek, (nd+6)/7)
	for k := range out {
		out[k] = personWeek{p: i, wk: int32(k), days: int32(min(7, nd-7*k))}
	}
	ws, we := days[0], days[nd]
	// week returns the week of t, which lies in [ws, we).
	week := func(t int64) int { return w.day(i, t) / 7 }
	// split calls f for the parts of [s, e) in each week.
	split := func(s, e int64, f func(k int, d int64)) {
		for s < e {
			k := week(s)
			end := min(e, days[min(7*(k+1), nd)])
			f(k, end-s)
			s = end
		}
	}
	// Working time.
	for j := p.at(ws); j < len(p.work) && p.work[j].s < we; j++ {
		s, e := max(p.work[j].s, ws), min(p.work[j].e, we)
		split(s, e, func(k int, d int64) { out[k].work += d })
	}
	// Meetings one by one: shapes, counts, back-to-back and conflicts.
	noDay := a.team.Norms.NoMeetingDay
	fromWD := int(w.w.From.In(time.UTC).Weekday())
	isNoDay := func(day int) bool { return noDay.Is(time.Weekday((fromWD + day) % 7)) }
	ms := p.meetings
	var merged []span
	lastEnd := int64(-1 << 62)
	for _, m := range ms {
		if m.e <= ws || m.s >= we {
			lastEnd = max(lastEnd, m.e)
			continue
		}
		s, e := max(m.s, ws), min(m.e, we)
		d := e - s
		pw := &out[week(s)]
		pw.raw += d
		if m.flags&fRecurring != 0 {
			pw.recurring += d
		}
		if m.flags&fLong != 0 {
			pw.long += d
		}
		if m.flags&fLarge != 0 {
			pw.large += d
		}
		if m.flags&fOverMax != 0 {
			pw.overMax += d
		}
		if m.s >= ws {
			pw.nMeet++
			if !p.working(m.s) {
				pw.nMeetOff++
			}
			if isNoDay(w.day(i, m.s)) {
				pw.nNoMtgDay++
			}
			switch gap := m.s - lastEnd; {
			case gap < 0:
				pw.nConflict++
			case gap < int64(BackToBackGap/time.Second):
				pw.nB2B++
			}
		}
		lastEnd = max(lastEnd, m.e)
		if n := len(merged); n > 0 && s <= merged[n-1].e {
			merged[n-1].e = max(merged[n-1].e, e)
		} else {
			merged = append(merged, span{s, e})
		}
	}
	// Merged meeting time: in total, after hours (also by local hour), on
	// the no-meeting day.
	for _, m := range merged {
		split(m.s, m.e, func(k int, d int64) { out[k].meet += d })
		a.offWork(p, m.s, m.e, func(s, e int64) {
			split(s, e, func(k int, d int64) { out[k].meetOff += d })
			byHour(s, e, p.loc, heat)
		})
		if noDay != -1 {
			for s := m.s; s < m.e; {
				day := w.day(i, s)
				end := min(m.e, days[day+1])
				if isNoDay(day) {
					out[day/7].noMtgDay += end - s
				}
				s = end
			}
		}
	}
	// Free working time between meetings: focus and fragments.
	mi := 0
	for j := p.at(ws); j < len(p.work) && p.work[j].s < we; j++ {
		s, e := max(p.work[j].s, ws), min(p.work[j].e, we)
		for mi < len(merged) && merged[mi].e <= s {
			mi++
		}
		free := func(fs, fe int64) {
			if fe <= fs {
				return
			}
			pw := &out[week(fs)]
			switch d := fe - fs; {
			case d >= int64(FocusBlock/time.Second):
				pw.focus2 += d
				pw.focus1 += d
			case d >= int64(ShortFocusBlock/time.Second):
				pw.focus1 += d
			default:
				pw.frag += d
			}
		}
		t := s
		for k := mi; k < len(merged) && merged[k].s < e; k++ {
			free(t, min(merged[k].s, e))
			t = max(t, merged[k].e)
		}
		free(t, e)
	}
	// Async counters.
	for d, c := range w.ds[i][:nd] {
		pw := &out[d/7]
		pw.chat += int32(c.chat)
		pw.mail += int32(c.mail)
		pw.received += int32(c.received)
		pw.afterMsgs += int32(c.afterHours)
		pw.replies += int32(c.replies)
	}
	return out
}

// offWork calls f for each part of [s, e) outside p's working time.
func (a *Auditor) offWork(p *person, s, e int64, f func(s, e int64)) {
	t := s
	for j := p.at(s); j < len(p.work) && p.work[j].s < e; j++ {
		if p.work[j].s > t {
			f(t, p.work[j].s)
		}
		t = max(t, p.work[j].e)
	}
	if t < e {
		f(t, e)
	}
}

// byHour adds the seconds of [s, e) to heat by hour of day in loc.
func byHour(s, e int64, loc *time.Location, heat *[24]int64) {
	for s < e {
		lt := time.Unix(s, 0).In(loc)
		next := s + int64(3600-lt.Minute()*60-lt.Second())
		end := min(e, next)
		heat[lt.Hour()] += end - s
		s = end
	}
}

// sortMeetings puts every person's meetings in order of start.
func (a *Auditor) sortMeetings() {
	for i := range a.ppl {
		slices.SortFunc(a.ppl[i].meetings, func(x, y meeting) int {
			return cmp.Or(cmp.Compare(x.s, y.s), cmp.Compare(x.e, y.e))
		})
	}
}

// collectResponses returns the first replies by members: those of
// direct conversations and those of threads.
func (a *Auditor) collectResponses() []response {
	out := a.dmResponses(make([]response, 0, len(a.dms)+int(a.threads.n)))
	for k := range a.threads.n {
		th := a.threads.at(k)
		t, by, ok := th.firstAnswer()
		if !ok || t < th.root || th.root >= a.hi {
			continue
		}
		if i := by.member(); i >= 0 {
			out = append(out, response{msg: th.root, reply: t, by: i})
		}
	}
	return out
}
