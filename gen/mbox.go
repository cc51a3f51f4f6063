package gen

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"slices"
	"strings"
	"time"
)

type mail struct {
	t        time.Time
	from     int // person, or -1-k for external k
	to, cc   []int
	subject  string
	id       string
	inReply  string
	refs     []string
	attach   int // bytes of attachment, 0 for none
	quoteLen int
}

// WriteMbox writes the team's mail as an mboxrd file: threads with
// References and In-Reply-To, names in RFC 2047 encoded words, dates in
// the forms mail programs write, bodies with quoted text and attachments.
func (d *Dataset) WriteMbox(out io.Writer) error {
	rng := d.rng(4)
	var mails []*mail
	msgID := func(t time.Time, host string) string {
		return fmt.Sprintf("<%d.%x@%s>", t.Unix(), rng.Uint64()&0xffffffffff, host)
	}
	end := d.end()
	for _, day := range d.days() {
		for pi, p := range d.people {
			ws, ok := p.workStart(day)
			if !ok {
				continue
			}
			for range poisson(rng, d.cfg.MailsPerDay*p.chatty*0.55) {
				t := ws.Add(time.Duration(rng.Int64N(int64(p.Hours.Length()))))
				m := &mail{t: t, from: pi, subject: topics[rng.IntN(len(topics))], attach: 0}
				sq := d.squads[p.squad]
				for range 1 + rng.IntN(3) {
					o := sq[rng.IntN(len(sq))]
					if rng.Float64() < 0.3 {
						o = rng.IntN(len(d.people))
					}
					if o != pi && !slices.Contains(m.to, o) {
						m.to = append(m.to, o)
					}
				}
				if rng.Float64() < 0.15 {
					m.to = append(m.to, -1-rng.IntN(len(externals)))
				}
				if len(m.to) == 0 {
					m.to = []int{(pi + 1) % len(d.people)}
				}
				if rng.Float64() < 0.3 && len(sq) > 1 {
					if c := sq[rng.IntN(len(sq))]; c != pi && !slices.Contains(m.to, c) {
						m.cc = []int{c}
					}
				}
				if rng.Float64() < 0.06 {
					m.attach = 8<<10 + rng.IntN(200<<10)
				}
				m.id = msgID(t, "mail."+d.cfg.Domain)
				mails = append(mails, m)
				// Replies.
				prev := m
				for range rng.IntN(4) {
					r := prev.to[rng.IntN(len(prev.to))]
					var at time.Time
					if r < 0 {
						at = prev.t.Add(lognormal(rng, 3*time.Hour, 1))
					} else {
						at = prev.t.Add(lognormal(rng, time.Duration(float64(2*time.Hour)*d.people[r].slow), 1.1))
						if rng.Float64() < 0.85 {
							at = d.people[r].nextWorking(at, rng)
						}
					}
					if !at.Before(end) {
						break
					}
					rep := &mail{t: at, from: r, to: []int{prev.from}, subject: "Re: " + m.subject, inReply: prev.id,
						refs: append(slices.Clone(prev.refs), prev.id), quoteLen: 3 + rng.IntN(10)}
					host := "mail." + d.cfg.Domain
					if r < 0 {
						_, host, _ = strings.Cut(externals[-1-r].email, "@")
					}
					rep.id = msgID(at, host)
					mails = append(mails, rep)
					prev = rep
				}
			}
		}
	}
	slices.SortStableFunc(mails, func(a, b *mail) int { return a.t.Compare(b.t) })
	bw := bufio.NewWriterSize(out, 1<<16)
	brng := d.rng(5)
	for _, m := range mails {
		d.writeMail(bw, brng, m)
	}
	return bw.Flush()
}

func (d *Dataset) addr(i int) (name, email string, loc *time.Location) {
	if i < 0 {
		x := externals[-1-i]
		return x.name, x.email, time.UTC
	}
	p := d.people[i]
	return p.Name, p.Email, p.loc
}

// mailbox formats "Name <email>", encoding names that are not ASCII.
func mailbox(rng *rand.Rand, name, email string) string {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			ascii = false
			break
		}
	}
	switch {
	case !ascii && rng.IntN(2) == 0:
		name = mime.QEncoding.Encode("UTF-8", name)
	case !ascii:
		name = mime.BEncoding.Encode("UTF-8", name)
	case strings.ContainsAny(name, "'.,"):
		name = `"` + name + `"`
	}
	return name + " <" + email + ">"
}

var usZones = map[string][2]string{
	"America/New_York":    {"EST", "EDT"},
	"America/Los_Angeles": {"PST", "PDT"},
}

// mailDate writes t as the sender's program would: mostly RFC 5322, and
// some obsolete and sloppy forms real archives hold.
func mailDate(rng *rand.Rand, t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	r := rng.Float64()
	switch {
	case r < 0.002:
		return lt.Format("Monday afternoon") // a broken client
	case r < 0.05:
		return lt.Format("Mon, 2 Jan 2006 15:04:05 -0700 (MST)")
	case r < 0.08:
		return lt.Format("2 Jan 2006 15:04 -0700") // no weekday, no seconds
	case r < 0.11:
		return t.UTC().Format("Mon, 02 Jan 06 15:04:05 GMT") // two-digit year
	case r < 0.14:
		if z, ok := usZones[loc.String()]; ok {
			name := z[0]
			if lt.IsDST() {
				name = z[1]
			}
			return lt.Format("Mon, 2 Jan 2006 15:04:05 ") + name
		}
	case r < 0.16:
		return lt.Format("Monday, 2 January 2006 15:04:05 -0700")
	}
	return lt.Format("Mon, 2 Jan 2006 15:04:05 -0700")
}

func (d *Dataset) writeMail(w *bufio.Writer, rng *rand.Rand, m *mail) {
	fromName, fromEmail, loc := d.addr(m.from)
	fmt.Fprintf(w, "From %s %s\n", fromEmail, m.t.UTC().Format("Mon Jan _2 15:04:05 2006"))
	fmt.Fprintf(w, "Return-Path: <%s>\n", fromEmail)
	for k := range 2 + rng.IntN(2) {
		fmt.Fprintf(w, "Received: from mx%d.%s (mx%d.%s [10.%d.%d.%d])\n\tby mail.%s with ESMTPS id %x\n\tfor <%s>; %s\n",
			k+1, d.cfg.Domain, k+1, d.cfg.Domain, rng.IntN(255), rng.IntN(255), rng.IntN(255), d.cfg.Domain, rng.Uint64(),
			fromEmail, m.t.Add(time.Duration(k)*time.Second).UTC().Format(time.RFC1123Z))
	}
	fmt.Fprintf(w, "From: %s\n", mailbox(rng, fromName, fromEmail))
	list := func(ids []int) string {
		var parts []string
		for _, i := range ids {
			n, e, _ := d.addr(i)
			parts = append(parts, mailbox(rng, n, e))
		}
		return strings.Join(parts, ",\n ")
	}
	fmt.Fprintf(w, "To: %s\n", list(m.to))
	if len(m.cc) > 0 {
		fmt.Fprintf(w, "Cc: %s\n", list(m.cc))
	}
	fmt.Fprintf(w, "Subject: %s\n", mime.QEncoding.Encode("UTF-8", m.subject))
	fmt.Fprintf(w, "Date: %s\n", mailDate(rng, m.t, loc))
	fmt.Fprintf(w, "Message-ID: %s\n", m.id)
	if m.inReply != "" {
		fmt.Fprintf(w, "In-Reply-To: %s\n", m.inReply)
		fmt.Fprintf(w, "References: %s\n", strings.Join(m.refs, "\n "))
	}
	w.WriteString("MIME-Version: 1.0\n")
	boundary := ""
	if m.attach > 0 {
		boundary = fmt.Sprintf("b1_%016x", rng.Uint64())
		fmt.Fprintf(w, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n", boundary, boundary)
	}
	w.WriteString("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n")
	first, _, _ := strings.Cut(fromName, " ")
	fmt.Fprintf(w, "Hi,\n\n")
	for range 3 + rng.IntN(25) {
		n := 6 + rng.IntN(10)
		for k := range n {
			if k > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(words[rng.IntN(len(words))])
		}
		w.WriteByte('\n')
		if rng.IntN(30) == 0 {
			// A body line that starts with "From ", escaped as mboxrd does.
			w.WriteString(">From the notes of the last review:\n")
		}
	}
	if m.quoteLen > 0 {
		w.WriteString("\nOn an earlier date someone wrote:\n")
		for range m.quoteLen {
			w.WriteString("> ")
			for k := range 8 {
				if k > 0 {
					w.WriteByte(' ')
				}
				w.WriteString(words[rng.IntN(len(words))])
			}
			w.WriteByte('\n')
		}
	}
	fmt.Fprintf(w, "\n%s\n", first)
	if boundary != "" {
		fmt.Fprintf(w, "\n--%s\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Transfer-Encoding: base64\n\n", boundary)
		raw := make([]byte, 57)
		for left := m.attach; left > 0; left -= 57 {
			for i := range raw {
				raw[i] = byte(rng.Uint32())
			}
			w.WriteString(base64.StdEncoding.EncodeToString(raw))
			w.WriteByte('\n')
		}
		fmt.Fprintf(w, "--%s--\n", boundary)
	}
	w.WriteByte('\n')
}
