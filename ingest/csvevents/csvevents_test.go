package csvevents_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/csvevents"
	"github.com/rhythm-team/rhythm/ingest/internal/fixture"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestImport(t *testing.T) {
	f, err := csvevents.Open(filepath.Join("testdata", "events.csv"), fixture.Resolver(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, st, err := fixture.Collect(t, f)
	if err != nil {
		t.Fatal(err)
	}
	ana := ingest.Participant{ID: "ana@example.com", Member: true}
	want := []ingest.Interaction{
		{Source: ingest.SourceCSV, Mode: ingest.Sync, Kind: ingest.Meeting, Start: utc("2026-03-02T09:00:00Z"), End: utc("2026-03-02T09:30:00Z"),
			Organizer: "ana@example.com", Recurring: true, Participants: []ingest.Participant{
				ana, {ID: "kenji@example.com", Member: true},
				{ID: "priya@example.com", Member: true, Status: ingest.Declined},
				{ID: fixture.Anon(t, "guest@partner.example"), Status: ingest.Tentative},
			}},
		{Source: ingest.SourceCSV, Mode: ingest.Sync, Kind: ingest.Call, Start: utc("2026-03-02T09:00:00Z"), End: utc("2026-03-02T09:20:00Z"),
			Organizer: "kenji@example.com", Participants: []ingest.Participant{{ID: "kenji@example.com", Member: true, Status: ingest.Accepted}, ana}},
		{Source: ingest.SourceCSV, Mode: ingest.Async, Kind: ingest.Message, Start: utc("2026-03-02T11:00:00Z"), End: utc("2026-03-02T11:00:00Z"),
			Organizer: "liam@example.com", Participants: []ingest.Participant{ana}, Channel: "ops", ThreadID: "t-1"},
		{Source: ingest.SourceCSV, Mode: ingest.Async, Kind: ingest.Reply, Start: utc("2026-03-02T11:45:00Z"), End: utc("2026-03-02T11:45:00Z"),
			Organizer: "ana@example.com", Channel: "ops", ThreadID: "t-1", InReplyTo: "t-1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("interactions (-want +got):\n%s", diff)
	}
	if st.Read != 4 || st.Emitted != 4 {
		t.Errorf("stats %v, want 4 read and imported", st)
	}
	if got[0].Attendees() != 3 {
		t.Errorf("Attendees() = %d, want 3 (one declined)", got[0].Attendees())
	}
	fixture.NoContent(t, got, "guest@partner.example")
}

func TestBadInput(t *testing.T) {
	head := "start,end,organizer,participants,kind\n"
	tests := []struct {
		name, data, want string
	}{
		{"missing column", "start,end,organizer,kind\n2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,a,meeting\n", `events.csv:1: missing column "participants"`},
		{"two missing", "Start,Kind\n", `events.csv:1: missing column "end", "organizer", "participants"`},
		{"empty file", "", "events.csv:1: the file is empty"},
		{"bad kind", head + "2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,a,b,standup\n", `events.csv:2:47: kind: "standup" is not one of`},
		{"bad start", head + "tomorrow,2026-03-02T09:30:00Z,a,b,meeting\n", `events.csv:2:1: start: "tomorrow" is not a time`},
		{"no offset", head + "2026-03-02 09:00,2026-03-02T09:30:00Z,a,b,meeting\n", `events.csv:2:1: start: "2026-03-02 09:00" has no UTC offset`},
		{"end before start", head + "2026-03-02T09:00:00Z,2026-03-02T08:30:00Z,a,b,meeting\n", "events.csv:2:22: end: 2026-03-02T08:30:00Z is before"},
		{"meeting without end", head + "2026-03-02T09:00:00Z,,a,b,meeting\n", "events.csv:2:22: end: a time is required"},
		{"no organizer", head + "2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,,b,meeting\n", "events.csv:2:43: organizer: an organizer"},
		{"bad status", head + "2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,a,b (maybe),meeting\n", `events.csv:2:45: participants: "b (maybe)"`},
		{"short row on line 3", head + "2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,a,b,meeting\n2026-03-02T09:00:00Z,a\n", "events.csv:3:1: wrong number of fields"},
		{"bad quote", head + "2026-03-02T09:00:00Z,\"2026,a,b,meeting\n", "events.csv:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := fixture.Collect(t, csvevents.New(strings.NewReader(tt.data), "events.csv", fixture.Resolver(t)))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %v, want one line starting %q", err, tt.want)
			}
		})
	}
}

func TestDefaultZone(t *testing.T) {
	f := csvevents.New(strings.NewReader("start,end,organizer,participants,kind\n2026-03-02 09:00,2026-03-02 09:30,a,b,meeting\n"), "z.csv", fixture.Resolver(t))
	f.Zone, _ = time.LoadLocation("Asia/Kolkata")
	got, _, err := fixture.Collect(t, f)
	if err != nil {
		t.Fatal(err)
	}
	if want := utc("2026-03-02T03:30:00Z"); !got[0].Start.Equal(want) {
		t.Errorf("start = %v, want %v", got[0].Start, want)
	}
}

func TestHeader(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join("testdata", "events.csv"))
	first, _, _ := strings.Cut(string(b), "\n")
	if !csvevents.Header(first) {
		t.Errorf("Header(%q) = false", first)
	}
	if csvevents.Header("name,email\n") {
		t.Error("a roster CSV header was taken for an events header")
	}
}

// TestOrganizerAttends: the organizer of a meeting or call is an attendee
// unless the row lists them with another answer or organizer_attends is
// false; the author of a message is not made a recipient.
func TestOrganizerAttends(t *testing.T) {
	const data = `start,end,organizer,participants,kind,organizer_attends
2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,ana@example.com,kenji@example.com,meeting,
2026-03-02T10:00:00Z,2026-03-02T10:30:00Z,ana@example.com,kenji@example.com;ana@example.com (declined),meeting,
2026-03-02T11:00:00Z,2026-03-02T11:30:00Z,ana@example.com,kenji@example.com,meeting,false
2026-03-02T12:00:00Z,,ana@example.com,kenji@example.com,message,
`
	got, _, err := fixture.Collect(t, csvevents.New(strings.NewReader(data), "one-to-one.csv", fixture.Resolver(t)))
	if err != nil {
		t.Fatal(err)
	}
	kenji := ingest.Participant{ID: "kenji@example.com", Member: true}
	want := [][]ingest.Participant{
		{{ID: "ana@example.com", Member: true, Status: ingest.Accepted}, kenji},
		{kenji, {ID: "ana@example.com", Member: true, Status: ingest.Declined}},
		{kenji},
		{kenji},
	}
	for i, in := range got {
		if diff := cmp.Diff(want[i], in.Participants); diff != "" {
			t.Errorf("row %d participants (-want +got):\n%s", i+2, diff)
		}
	}
	if _, _, err := fixture.Collect(t, csvevents.New(strings.NewReader("start,end,organizer,participants,kind,organizer_attends\n2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,a@x.y,b@x.y,meeting,maybe\n"), "x.csv", fixture.Resolver(t))); err == nil || !strings.Contains(err.Error(), `x.csv:2:`) || !strings.Contains(err.Error(), "organizer_attends") {
		t.Errorf("organizer_attends maybe: %v", err)
	}
}
