package team

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRosterHolidayRegions(t *testing.T) {
	const head = "team: T\nmembers:\n  - {name: A, email: a@example.com, zone: Europe/Berlin, "
	cases := []struct {
		name, field string
		region      string
		dates       []string
		err         string
	}{
		{"region alone", "holidays: DE-BE}", "DE-BE", nil, ""},
		{"lower case", "holidays: de-by}", "DE-BY", nil, ""},
		{"region and dates", "holidays: [DE-BE, 2026-12-24]}", "DE-BE", []string{"2026-12-24"}, ""},
		{"dates only (as before)", "holidays: [2026-12-24, 2026-12-31]}", "", []string{"2026-12-24", "2026-12-31"}, ""},
		{"unknown region", "holidays: DE-XX}", "", nil, `members[0].holidays: unknown holiday region "DE-XX"`},
		{"two regions", "holidays: [DE-BE, GB]}", "", nil, "two holiday regions"},
		{"bad date", "holidays: [2026-02-30]}", "", nil, "members[0].holidays"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm, err := ParseRoster("team.yaml", []byte(head+c.field+"\n"))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := tm.Members[0]
			var dates []string
			for _, d := range m.Holidays {
				dates = append(dates, d.String())
			}
			if m.HolidayRegion != c.region || !cmp.Equal(dates, c.dates) {
				t.Fatalf("region %q dates %v, want %q %v", m.HolidayRegion, dates, c.region, c.dates)
			}
			// The roster written back reads the same.
			back := RosterOf(tm).Members[0].Holidays
			if !cmp.Equal([]string(back), m.HolidayList()) {
				t.Fatalf("written back as %v", back)
			}
		})
	}
}

func TestIsHolidayFromRegion(t *testing.T) {
	m := Member{Days: WeekdaysMonFri}
	if err := m.SetHolidays([]string{"DE-BE", "2026-03-02"}); err != nil {
		t.Fatal(err)
	}
	for d, want := range map[Date]bool{
		{2026, 4, 3}:  true,  // Good Friday
		{2026, 3, 2}:  true,  // an explicit date
		{2026, 3, 10}: false, // an ordinary Tuesday
	} {
		if got := m.IsHoliday(d); got != want {
			t.Errorf("IsHoliday(%s) = %v, want %v", d, got, want)
		}
		if m.WorksOn(d) == want {
			t.Errorf("WorksOn(%s) = %v", d, !want)
		}
	}
}
