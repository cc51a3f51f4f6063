// Package ingest turns exported calendar, chat and mail data into one stream
// of Interaction records. Importers live in sub-packages, one per source, and
// keep metadata only: who, when, how long, which thread or channel. Message
// text, subjects and descriptions are never part of an Interaction.
package ingest

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"
)

// Source names where an interaction was imported from.
type Source string

// Sources.
const (
	SourceSlack Source = "slack"
	SourceMbox  Source = "mbox"
	SourceICS   Source = "ics"
	SourceCSV   Source = "csv"
)

// Mode is whether people took part at the same time (sync) or not (async).
type Mode string

// Modes.
const (
	Sync  Mode = "sync"
	Async Mode = "async"
)

// Kind is what sort of interaction it was.
type Kind string

// Kinds.
const (
	Meeting Kind = "meeting" // a calendar event or meeting report row
	Call    Kind = "call"    // an unscheduled call, such as a Slack huddle
	Message Kind = "message" // a chat message that starts a conversation or thread
	Reply   Kind = "reply"   // a chat message in an existing thread
	Email   Kind = "email"   // a mail message
)

// ModeOf returns the mode a kind has by default: meetings and calls are
// sync, everything else async.
func ModeOf(k Kind) Mode {
	if k == Meeting || k == Call {
		return Sync
	}
	return Async
}

// ChannelKind is the sort of chat conversation a message was posted in.
type ChannelKind string

// Channel kinds; empty when the source has none.
const (
	Public  ChannelKind = "public"  // a channel anyone in the workspace can join
	Private ChannelKind = "private" // a private channel
	DM      ChannelKind = "dm"      // a direct conversation between two people
	MPIM    ChannelKind = "mpim"    // a group direct conversation
)

// Status is a participant's answer to an invitation (iCalendar PARTSTAT,
// lower case); empty when the source does not say.
type Status string

// Statuses.
const (
	Accepted    Status = "accepted"
	Declined    Status = "declined"
	Tentative   Status = "tentative"
	NeedsAction Status = "needs-action"
	Delegated   Status = "delegated"
)

// Participant is one person taking part in an interaction.
type Participant struct {
	// ID is the roster member's email, or a pseudonym ("anon-…") for anyone
	// not on the roster.
	ID string
	// Member reports whether ID is a roster member.
	Member bool
	// Status is the participant's answer to a meeting invitation.
	Status Status
}

// Declined reports whether the participant declined.
func (p Participant) Declined() bool { return p.Status == Declined }

// Interaction is one meeting, call, chat message or mail, as metadata.
type Interaction struct {
	Source Source
	// ID identifies the interaction within its source, e.g. a Slack channel
	// and timestamp, a keyed hash of a Message-ID, or an event UID with its
	// recurrence instance. Empty when the source has none.
	ID   string
	Mode Mode
	Kind Kind
	// Start and End are UTC instants. An async interaction has End == Start.
	Start, End time.Time
	// AllDay marks calendar events that take whole days.
	AllDay bool
	// Organizer is the identity (as in Participant.ID) of a meeting's
	// organizer or a message's author; empty when unknown.
	Organizer string
	// Participants are, for sync interactions, everyone invited or present,
	// the organizer included; for async ones, the recipients: people
	// mentioned or addressed, the other members of a direct conversation.
	// Rooms and other resources are not people and are counted in Resources.
	Participants []Participant
	// Resources counts rooms, equipment and other non-people that were
	// invited to a meeting; they are not in Participants.
	Resources int
	// ThreadID links interactions of one thread (a Slack thread, a mail
	// thread); empty for a message that is not part of one.
	ThreadID string
	// InReplyTo is the ID of the interaction this one answers, if known.
	InReplyTo string
	// Channel names the chat conversation (channel name or conversation ID).
	Channel     string
	ChannelKind ChannelKind
	// Recurring marks instances of a recurring meeting series.
	Recurring bool
}

// Duration returns how long the interaction took (zero for async ones).
func (in *Interaction) Duration() time.Duration { return in.End.Sub(in.Start) }

// Attendees returns the number of participants who did not decline.
func (in *Interaction) Attendees() int {
	n := 0
	for _, p := range in.Participants {
		if !p.Declined() {
			n++
		}
	}
	return n
}

// Importer is one readable input: an export, an archive, a file.
type Importer interface {
	// Import calls emit once for each interaction, in the order of the
	// input, and returns what it read and skipped. It stops at the first
	// error from emit and returns it.
	Import(ctx context.Context, emit func(Interaction) error) (Stats, error)
}

// All returns the interactions of an importer as an iterator. A read error
// is yielded once, last, with a zero Interaction; *stats, if not nil, holds
// the counts when the iteration ends.
func All(ctx context.Context, imp Importer, stats *Stats) iter.Seq2[Interaction, error] {
	return func(yield func(Interaction, error) bool) {
		stop := fmt.Errorf("stopped")
		st, err := imp.Import(ctx, func(in Interaction) error {
			if !yield(in, nil) {
				return stop
			}
			return nil
		})
		if stats != nil {
			*stats = st
		}
		if err != nil && err != stop {
			yield(Interaction{}, err)
		}
	}
}

// MaxNotes is how many skipped items Stats keeps an example of.
const MaxNotes = 50

// Stats counts what an import read, emitted and skipped.
type Stats struct {
	// Read counts the items looked at: messages, mails, events, rows.
	Read int
	// Emitted counts the interactions passed on.
	Emitted int
	// Skipped counts the items left out, by reason.
	Skipped map[string]int
	// Warned counts, by reason, problems that left nothing out (a
	// calendar's unknown zone read as UTC, say).
	Warned map[string]int
	// Notes are the first MaxNotes skipped items and warnings that deserve
	// a look (bad dates, unreadable headers…) with where they are.
	Notes []Note
}

// Note is one skipped item or warning and where it is in the input.
type Note struct {
	Where  string // e.g. "archive.mbox: offset 81234" or "general/2026-01-05.json"
	Reason string
}

// Skip counts an item left out for reason.
func (s *Stats) Skip(reason string) {
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	s.Skipped[reason]++
}

// Note counts an item left out for reason and keeps where it was.
func (s *Stats) Note(reason, where string) {
	s.Skip(reason)
	if len(s.Notes) < MaxNotes {
		s.Notes = append(s.Notes, Note{Where: where, Reason: reason})
	}
}

// Warn counts a problem that left nothing out, for reason, and keeps
// where it was.
func (s *Stats) Warn(reason, where string) {
	if s.Warned == nil {
		s.Warned = map[string]int{}
	}
	s.Warned[reason]++
	if len(s.Notes) < MaxNotes {
		s.Notes = append(s.Notes, Note{Where: where, Reason: reason})
	}
}

// SkippedTotal returns the number of items left out.
func (s *Stats) SkippedTotal() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// Add merges o into s.
func (s *Stats) Add(o Stats) {
	s.Read += o.Read
	s.Emitted += o.Emitted
	for r, c := range o.Skipped {
		if s.Skipped == nil {
			s.Skipped = map[string]int{}
		}
		s.Skipped[r] += c
	}
	for r, c := range o.Warned {
		if s.Warned == nil {
			s.Warned = map[string]int{}
		}
		s.Warned[r] += c
	}
	for _, n := range o.Notes {
		if len(s.Notes) < MaxNotes {
			s.Notes = append(s.Notes, n)
		}
	}
}

// String summarises the counts on one line, reasons sorted.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d read, %d imported, %d skipped", s.Read, s.Emitted, s.SkippedTotal())
	if len(s.Skipped) > 0 {
		b.WriteString(" (")
		for i, r := range slices.Sorted(maps.Keys(s.Skipped)) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s: %d", r, s.Skipped[r])
		}
		b.WriteString(")")
	}
	return b.String()
}
