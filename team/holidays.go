package team

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rhythm-team/rhythm/holiday"
)

// HolidayList is the roster's holidays field: public holidays of a country
// or region (`holidays: DE-BE`) and explicit dates, in one list
// (`holidays: [DE-BE, 2026-12-24]`). A single value may be written without
// brackets.
type HolidayList []string

// UnmarshalYAML reads a list or a single value.
func (h *HolidayList) UnmarshalYAML(unmarshal func(any) error) error {
	var one string
	if err := unmarshal(&one); err == nil {
		*h = HolidayList{one}
		return nil
	}
	var list []string
	if err := unmarshal(&list); err != nil {
		return fmt.Errorf("holidays: give a region such as DE-BE, dates such as 2026-12-24, or a list of both")
	}
	*h = list
	return nil
}

// UnmarshalJSON reads a list or a single string.
func (h *HolidayList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*h = HolidayList{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("holidays: give a region such as DE-BE, dates such as 2026-12-24, or a list of both")
	}
	*h = list
	return nil
}

// SetHolidays reads a holidays list into the member: dates are explicit
// days off, anything else names the one region whose public holidays the
// member takes (checked against the known regions).
func (m *Member) SetHolidays(list []string) error {
	m.Holidays, m.HolidayRegion = nil, ""
	for _, s := range list {
		s = strings.TrimSpace(s)
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			d, err := ParseDate(s)
			if err != nil {
				return err
			}
			m.Holidays = append(m.Holidays, d)
			continue
		}
		code, err := holiday.Normalize(s)
		if err != nil {
			return err
		}
		if m.HolidayRegion != "" && m.HolidayRegion != code {
			return fmt.Errorf("two holiday regions, %s and %s: give one", m.HolidayRegion, code)
		}
		m.HolidayRegion = code
	}
	return nil
}

// HolidayList returns the member's holidays as the roster writes them: the
// region first, then the dates.
func (m *Member) HolidayList() []string {
	var out []string
	if m.HolidayRegion != "" {
		out = append(out, m.HolidayRegion)
	}
	for _, d := range m.Holidays {
		out = append(out, d.String())
	}
	return out
}

// IsHoliday reports whether d is a day off for the member: one of their
// dates or a public holiday of their region.
func (m *Member) IsHoliday(d Date) bool {
	return slices.Contains(m.Holidays, d) || (m.HolidayRegion != "" && regionHoliday(m.HolidayRegion, d))
}

// regionDays caches each region's public holidays per year.
var regionDays sync.Map // "DE-BE/2026" → map[Date]bool

func regionHoliday(region string, d Date) bool {
	key := fmt.Sprintf("%s/%d", region, d.Year)
	v, ok := regionDays.Load(key)
	if !ok {
		set := map[Date]bool{}
		days, _ := holiday.Between(region, time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC))
		for _, h := range days {
			set[Date{h.Year, h.Month, h.Day}] = true
		}
		v, _ = regionDays.LoadOrStore(key, set)
	}
	return v.(map[Date]bool)[d]
}
