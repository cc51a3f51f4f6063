package pulse

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// MaxImportRows is the most responses one CSV import may hold.
const MaxImportRows = 100_000

// identityColumns are headers that would tie a response to a person or a
// moment; an import refuses them rather than silently dropping them.
var identityColumns = []string{
	"email", "e-mail", "name", "user", "user_id", "userid", "username", "respondent", "respondent_id",
	"employee", "employee_id", "person", "member", "id", "response_id", "ip", "ip_address",
	"timestamp", "time", "date", "submitted", "submitted_at", "created_at", "start_date", "end_date",
}

// ReadResponsesCSV reads responses exported from another survey tool: one
// row per response, one column per survey item, headed by the item's key
// or its exact text. Empty cells are unanswered items. Columns that
// identify people or times are refused, since responses are anonymous.
func ReadResponsesCSV(name string, r io.Reader, s Survey) ([]Answers, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: the file is empty", name)
	} else if err != nil {
		return nil, responsesCSVError(name, err)
	}
	keys := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		low := strings.ToLower(h)
		if slices.Contains(identityColumns, low) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %q: responses are anonymous; remove identity and time columns before importing", name, h)
		}
		for _, it := range s.Items {
			if strings.EqualFold(it.Key, h) || it.Text == h {
				keys[i] = it.Key
			}
		}
		if keys[i] == "" {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %q: not an item of the survey %q (items: %s)", name, h, s.Title, strings.Join(s.Keys(), ", "))
		}
		if slices.Contains(keys[:i], keys[i]) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %q: item %s appears twice", name, h, keys[i])
		}
	}
	var out []Answers
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, responsesCSVError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) == MaxImportRows {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:%d: more than %d responses in one file", name, line, MaxImportRows)
		}
		a := Answers{}
		for i, cell := range rec {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				continue
			}
			v, err := strconv.Atoi(cell)
			if err != nil {
				return nil, rhythm.Errorf(rhythm.EINVALID, "%s:%d: %s: %q is not a whole number", name, line, keys[i], cell)
			}
			a[keys[i]] = v
		}
		if err := s.Check(a, false); err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:%d: %s", name, line, rhythm.ErrorMessage(err))
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: no responses after the header", name)
	}
	return out, nil
}

func responsesCSVError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rhythm.Errorf(rhythm.EINVALID, "%s:%d: %v", name, pe.StartLine, pe.Err)
	}
	return rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
}

// WriteResponsesCSV writes responses in the form ReadResponsesCSV reads:
// a header of item keys, then one row per response.
func WriteResponsesCSV(w io.Writer, s Survey, responses []Answers) error {
	cw := csv.NewWriter(w)
	cw.Write(s.Keys())
	for _, a := range responses {
		rec := make([]string, len(s.Items))
		for i, it := range s.Items {
			if v, ok := a[it.Key]; ok {
				rec[i] = strconv.Itoa(v)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
