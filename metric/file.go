package metric

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rhythm-team/rhythm"
)

// Read reads samples from a CSV or JSON file, telling them apart by the
// first character. name is used in error messages.
func Read(name string, data []byte) ([]Sample, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: the file is empty", name)
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		return ReadJSON(name, trimmed)
	}
	return ReadCSV(name, bytes.NewReader(data))
}

// ReadJSON reads a JSON array of samples, or one sample per line (NDJSON):
//
//	{"unit": "Platform", "period": "2026-Q1", "values": {"sync_async_ratio": 0.8}}
func ReadJSON(name string, data []byte) ([]Sample, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var out []Sample
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		if err := dec.Decode(&out); err != nil {
			return nil, jsonError(name, data, err)
		}
	} else {
		for {
			var s Sample
			err := dec.Decode(&s)
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, jsonError(name, data, err)
			}
			out = append(out, s)
		}
	}
	seen := map[string]int{}
	for i, s := range out {
		if err := s.Validate(); err != nil {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: sample %d: %s", name, i+1, rhythm.ErrorMessage(err))
		}
		k := UnitKey(s.Unit) + "\x00" + s.Period.String()
		if j, dup := seen[k]; dup {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: sample %d: unit %q, period %s: repeats sample %d", name, i+1, s.Unit, s.Period, j)
		}
		seen[k] = i + 1
	}
	return out, nil
}

func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if off >= 0 && off <= int64(len(data)) {
		return rhythm.Errorf(rhythm.EINVALID, "%s:%d: %s", name, 1+bytes.Count(data[:off], []byte("\n")), msg)
	}
	return rhythm.Errorf(rhythm.EINVALID, "%s: %s", name, msg)
}

// ReadCSV reads samples from a wide CSV file: one row per unit and period,
// one column per metric. The unit column is "unit" (or "team", "person",
// "email"); the period is a "period" column or "start" and "end" columns
// of dates. Every other column is a metric; empty cells are missing values.
//
//	unit,period,sync_async_ratio,meeting_hours
//	Platform,2026-Q1,0.8,11.5
func ReadCSV(name string, r io.Reader) ([]Sample, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: the file is empty", name)
	} else if err != nil {
		return nil, csvError(name, err)
	}
	unitCol, periodCol, startCol, endCol := -1, -1, -1, -1
	metrics := map[int]string{}
	seenCol := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if seenCol[h] {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %q appears twice", name, h)
		}
		seenCol[h] = true
		switch h {
		case "unit", "team", "person", "email":
			if unitCol >= 0 {
				return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %q: only one unit column (unit, team, person or email) is allowed", name, h)
			}
			unitCol = i
		case "period":
			periodCol = i
		case "start":
			startCol = i
		case "end":
			endCol = i
		default:
			if err := ValidName(h); err != nil {
				return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: column %d: %v", name, i+1, err)
			}
			metrics[i] = h
		}
	}
	switch {
	case unitCol < 0:
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: no unit column; name one unit, team, person or email", name)
	case periodCol < 0 && (startCol < 0 || endCol < 0):
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: no period column; add period (e.g. 2026-Q1) or start and end", name)
	case len(metrics) == 0:
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s:1: no metric columns", name)
	}
	var out []Sample
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		at := func(field, format string, args ...any) error {
			return rhythm.Errorf(rhythm.EINVALID, "%s:%d: %s: %s", name, line, field, fmt.Sprintf(format, args...))
		}
		s := Sample{Unit: strings.TrimSpace(rec[unitCol]), Values: map[string]float64{}}
		if s.Unit == "" {
			return nil, at(header[unitCol], "must not be empty")
		}
		if periodCol >= 0 {
			if s.Period, err = ParsePeriod(rec[periodCol]); err != nil {
				return nil, at("period", "%v", err)
			}
		} else if s.Period, err = ParsePeriod(rec[startCol] + "/" + rec[endCol]); err != nil {
			return nil, at("start/end", "%v", err)
		}
		for _, i := range slices.Sorted(maps.Keys(metrics)) {
			cell := strings.TrimSpace(rec[i])
			if cell == "" {
				continue
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil || v != v || v > 1e300 || v < -1e300 {
				return nil, at(metrics[i], "%q is not a number", cell)
			}
			s.Values[metrics[i]] = v
		}
		k := UnitKey(s.Unit) + "\x00" + s.Period.String()
		if j, dup := seen[k]; dup {
			return nil, at(header[unitCol], "%q in %s repeats line %d", s.Unit, s.Period, j)
		}
		seen[k] = line
		out = append(out, s)
	}
	return out, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rhythm.Errorf(rhythm.EINVALID, "%s:%d: %v", name, pe.StartLine, pe.Err)
	}
	return rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
}

// WriteCSV writes samples in the wide form ReadCSV reads, one column per
// metric name, sorted.
func WriteCSV(w io.Writer, samples []Sample) error {
	names := Names(samples)
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"unit", "period"}, names...))
	for _, s := range samples {
		rec := []string{s.Unit, s.Period.String()}
		for _, n := range names {
			if v, ok := s.Values[n]; ok {
				rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
			} else {
				rec = append(rec, "")
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
