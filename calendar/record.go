package calendar

import (
	"context"
	"strconv"
	"time"
)

// Record is a stored connection. Its credentials stay sealed; Host and Hint
// are what people are shown.
type Record struct {
	ID     int64  `json:"id"`
	TeamID int64  `json:"team_id"`
	Member string `json:"member,omitempty"` // "" for a team calendar
	Kind   Kind   `json:"kind"`
	Host   string `json:"host"`
	Hint   string `json:"hint"` // the last 4 characters of the link or password

	URLSealed      string `json:"-"`
	Username       string `json:"username,omitempty"`
	PasswordSealed string `json:"-"`

	Calendar     string `json:"calendar,omitempty"` // CalDAV calendar path
	CalendarName string `json:"calendar_name,omitempty"`
	ImportID     int64  `json:"-"`

	ETag         string `json:"-"`
	LastModified string `json:"-"`
	SyncToken    string `json:"-"`

	Events      int       `json:"events"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Failures    int       `json:"failures"`
	NextSync    time.Time `json:"next_sync,omitzero"`
	// Warnings counts what the last sync that read the calendar left out
	// or read doubtfully (an event too dense to expand, an unknown time
	// zone, a broken event); WarningNotes are the first MaxWarnings of
	// them in plain words.
	Warnings     int       `json:"warnings,omitempty"`
	WarningNotes []string  `json:"warning_notes,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// State says in words where a connection stands: "synced, 120 events",
// with "; 1 warning: …" and the first warning when its last sync left
// something out, "never synced yet", or the last error.
func (r *Record) State() string {
	switch {
	case r.LastError != "" && r.LastSuccess.IsZero():
		return "failing: " + r.LastError
	case r.LastError != "":
		return "failing since the last sync: " + r.LastError
	case r.LastSuccess.IsZero():
		return "not synced yet"
	}
	s := "synced, " + plural(r.Events, "event")
	if r.Warnings > 0 {
		s += "; " + plural(r.Warnings, "warning")
		if len(r.WarningNotes) > 0 {
			s += ": " + r.WarningNotes[0]
		}
	}
	return s
}

// MoreWarnings counts the warnings of the last sync beyond WarningNotes.
func (r Record) MoreWarnings() int { return max(0, r.Warnings-len(r.WarningNotes)) }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Outcome is how one sync of a connection ended.
type Outcome struct {
	Result *Result // nil when the sync failed
	Error  string  // what went wrong, in plain words
	At     time.Time
	Next   time.Time // when to sync again
}

// Store keeps connections and what their syncs found.
type Store interface {
	// ClaimCalendarSyncs marks up to limit due connections as synced by
	// worker until until and returns them; one server at a time holds one.
	ClaimCalendarSyncs(ctx context.Context, worker string, now, until time.Time, limit int) ([]Record, error)
	// CalendarObjects returns a connection's resources and ETags.
	CalendarObjects(ctx context.Context, id int64) (map[string]string, error)
	// FinishCalendarSync records worker's sync of connection id.
	FinishCalendarSync(ctx context.Context, id int64, worker string, o Outcome) error
}
