package metric

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/team"
)

func date(t *testing.T, s string) team.Date {
	t.Helper()
	d, err := team.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in, start, end, str string
	}{
		{"2026-Q1", "2026-01-01", "2026-03-31", "2026-Q1"},
		{"2024-Q4", "2024-10-01", "2024-12-31", "2024-Q4"},
		{"2024-02", "2024-02-01", "2024-02-29", "2024-02"},
		{"2026-W01", "2025-12-29", "2026-01-04", "2026-W01"},
		{"2020-W53", "2020-12-28", "2021-01-03", "2020-W53"},
		{"2026-W08", "2026-02-16", "2026-02-22", "2026-W08"},
		{"2026-W09", "2026-02-23", "2026-03-01", "2026-W09"},
		{"2026-03-04", "2026-03-04", "2026-03-04", "2026-03-04"},
		{"2026-01-05/2026-02-01", "2026-01-05", "2026-02-01", "2026-01-05/2026-02-01"},
		{"2026-01-01..2026-03-31", "2026-01-01", "2026-03-31", "2026-Q1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			want := Period{date(t, tt.start), date(t, tt.end)}
			if p != want {
				t.Errorf("got %v..%v, want %v..%v", p.Start, p.End, want.Start, want.End)
			}
			if got := p.String(); got != tt.str {
				t.Errorf("String = %q, want %q", got, tt.str)
			}
		})
	}
	for _, bad := range []string{"", "2026-Q5", "2026-13", "2026-W54", "2025-W53", "2026-02-01/2026-01-01", "Q1", "2026-02-30"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := ParsePeriod(bad); err == nil {
				t.Errorf("ParsePeriod(%q) accepted", bad)
			}
		})
	}
}

func TestQuarters(t *testing.T) {
	p, _ := ParsePeriod("2025-11-15/2026-04-02")
	var got []string
	for _, q := range Quarters(p) {
		got = append(got, q.String())
	}
	if diff := cmp.Diff([]string{"2025-Q4", "2026-Q1", "2026-Q2"}, got); diff != "" {
		t.Error(diff)
	}
	if m := p.Mid(); m != date(t, "2026-01-23") {
		t.Errorf("Mid = %v", m)
	}
}

func TestReadCSVAndJSONAgree(t *testing.T) {
	csvData := "# exported from the audit\nteam,period,sync_async_ratio,meeting_hours\nPlatform,2026-Q1,0.8,11.5\nData,2026-Q1,,9\n"
	jsonData := `[{"unit":"Platform","period":"2026-Q1","values":{"sync_async_ratio":0.8,"meeting_hours":11.5}},
{"unit":"Data","period":"2026-01-01/2026-03-31","values":{"meeting_hours":9}}]`
	ndjson := `{"unit":"Platform","period":"2026-Q1","values":{"sync_async_ratio":0.8,"meeting_hours":11.5}}
{"unit":"Data","period":"2026-Q1","values":{"meeting_hours":9}}
`
	q1, _ := ParsePeriod("2026-Q1")
	want := []Sample{
		{Unit: "Platform", Period: q1, Values: map[string]float64{SyncAsyncRatio: 0.8, MeetingHours: 11.5}},
		{Unit: "Data", Period: q1, Values: map[string]float64{MeetingHours: 9}},
	}
	for name, data := range map[string]string{"csv": csvData, "json": jsonData, "ndjson": ndjson} {
		t.Run(name, func(t *testing.T) {
			got, err := Read("m."+name, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, want); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV("out.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("WriteCSV → ReadCSV:\n%s", diff)
	}
}

func TestReadRejectsBadInput(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "  \n", "m.csv: the file is empty"},
		{"no unit column", "period,enps\n2026-Q1,10\n", "m.csv:1: no unit column"},
		{"no period", "team,enps\nA,10\n", "m.csv:1: no period column"},
		{"no metrics", "team,period\nA,2026-Q1\n", "m.csv:1: no metric columns"},
		{"bad metric name", "team,period,Meeting Hours\nA,2026-Q1,3\n", "m.csv:1: column 3:"},
		{"bad number", "team,period,enps\nA,2026-Q1,10\nB,2026-Q1,lots\n", `m.csv:3: enps: "lots" is not a number`},
		{"bad period", "team,period,enps\nA,2026-Q7,10\n", `m.csv:2: period: "2026-Q7" is not a period`},
		{"duplicate row", "team,period,enps\nA,2026-Q1,10\na,2026-Q1,12\n", `m.csv:3: team: "a" in 2026-Q1 repeats line 2`},
		{"ragged row", "team,period,enps\nA,2026-Q1\n", "m.csv:2: wrong number of fields"},
		{"json syntax", "[{\"unit\":\"A\",\n\"period\":}]", "m.csv:2: invalid character"},
		{"json unknown field", `[{"unit":"A","period":"2026-Q1","values":{},"team":"x"}]`, `m.csv: unknown field "team"`},
		{"json NaN-free but bad name", `[{"unit":"A","period":"2026-Q1","values":{"Bad":1}}]`, "m.csv: sample 1: values:"},
		{"json empty unit", `[{"unit":" ","period":"2026-Q1","values":{}}]`, "m.csv: sample 1: unit: must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("m.csv", []byte(tt.data))
			if rhythm.ErrorCode(err) != rhythm.EINVALID || !strings.HasPrefix(rhythm.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v, want invalid starting %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestByQuarter(t *testing.T) {
	var in []Sample
	for _, w := range []struct {
		unit, week string
		v          float64
	}{{"A", "2026-W02", 1}, {"a", "2026-W03", 3}, {"A", "2026-W14", 10}, {"B", "2026-W02", 5}} {
		p, _ := ParsePeriod(w.week)
		in = append(in, Sample{Unit: w.unit, Period: p, Values: map[string]float64{"x": w.v}})
	}
	q1, _ := ParsePeriod("2026-Q1")
	q2, _ := ParsePeriod("2026-Q2")
	want := []Sample{
		{Unit: "A", Period: q1, Values: map[string]float64{"x": 2}},
		{Unit: "A", Period: q2, Values: map[string]float64{"x": 10}},
		{Unit: "B", Period: q1, Values: map[string]float64{"x": 5}},
	}
	if diff := cmp.Diff(want, ByQuarter(in)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
