package lint

import (
	"bytes"
	"os"
	"testing"
)

// FuzzScanExtras checks that no input makes ScanExtras panic.
func FuzzScanExtras(f *testing.F) {
	if b, err := os.ReadFile("testdata/rules.ics"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VEVENT\nDESCRIPTION;X=\"a:b\":c\\n\n d\nBEGIN:VALARM\nEND:VEVENT\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ScanExtras(bytes.NewReader(data))
	})
}

// FuzzPlanned checks that no planned meeting makes parsing or checking
// panic.
func FuzzPlanned(f *testing.F) {
	f.Add([]byte(`{"title":"Weekly sync","start":"2026-03-10 11:00","duration":"30m","organizer":"Ana Silva","attendees":["rui@example.com"],"repeat":"weekly","count":3,"agenda":"Agenda: x https://docs.example.com"}`))
	f.Add([]byte(`[{"title":"x","start":"2026-03-10T11:00:00Z","end":"2026-03-10T12:00:00Z","pre_read_at":"2026-03-09T11:00:00Z","until":"2026-04-01","repeat":"daily"}]`))
	tm := loadTeam(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParsePlanned(data)
		if err != nil {
			return
		}
		var ms []Meeting
		for _, p := range ps {
			if m, err := p.Meeting(tm); err == nil {
				ms = append(ms, m)
			}
		}
		Check(ms, Options{Team: tm})
	})
}
