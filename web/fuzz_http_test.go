package web

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rhythm-team/rhythm/store"
)

// TestFuzzHTTP sends random paths, queries, headers and bodies to every
// route of the route table as an anonymous visitor, a member and an admin,
// from a fixed seed and a bounded count. No request may answer 5xx or
// panic, and a refused request (4xx) may not change any stored table.
// Then the database is cut: requests may answer 503, never another 5xx.
func TestFuzzHTTP(t *testing.T) {
	const perRoute = 3 // random requests per route and role
	for _, role := range []string{"anonymous", "member", "admin"} {
		t.Run(role, func(t *testing.T) {
			f := newSQLiteFixture(t)
			rng := rand.New(rand.NewPCG(16, uint64(len(role))))
			routes := slices.DeleteFunc(slices.Clone(f.srv.routeList), func(r route) bool {
				return r.pattern == "POST /logout" // would end the session the other requests use
			})
			before := tableSums(t, f.db)
			n := 0
			for _, rt := range routes {
				for range perRoute {
					req := fuzzRequest(rng, f, rt.pattern)
					code, panicked := serve(f, role, req)
					n++
					desc := fmt.Sprintf("%s %s (%s, %d-byte body)", req.Method, req.URL.RequestURI(), req.Header.Get("Content-Type"), req.ContentLength)
					if panicked != nil {
						t.Fatalf("%s as %s panicked: %v", desc, role, panicked)
					}
					if code >= 500 {
						t.Errorf("%s as %s = %d", desc, role, code)
					}
					after := tableSums(t, f.db)
					if code >= 400 {
						if diff := cmp.Diff(before, after); diff != "" {
							t.Errorf("%s as %s was refused (%d) but changed the database:\n%s", desc, role, code, diff)
						}
					}
					before = after
				}
			}
			t.Logf("%d requests as %s", n, role)
			// A cut database: 503 is the only 5xx allowed.
			f.db.Close()
			for _, rt := range routes {
				req := fuzzRequest(rng, f, rt.pattern)
				code, panicked := serve(f, role, req)
				if panicked != nil {
					t.Fatalf("%s %s as %s with the database cut panicked: %v", req.Method, req.URL, role, panicked)
				}
				if code >= 500 && code != http.StatusServiceUnavailable {
					t.Errorf("%s %s as %s with the database cut = %d, want 503 or 4xx", req.Method, req.URL, role, code)
				}
			}
		})
	}
}

// tableSums is every table's checksum but login_throttle, which counts
// refused sign-ins by design.
func tableSums(t *testing.T, db *store.DB) []store.TableSum {
	t.Helper()
	sums, err := db.Checksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(sums, func(s store.TableSum) bool { return s.Table == "login_throttle" })
}

// serve runs one request as role and returns its status, or what it
// panicked with.
func serve(f *fixture, role string, req *http.Request) (code int, panicked any) {
	if c, ok := f.cookies[role]; ok {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c})
	}
	defer func() { panicked = recover() }()
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w.Code, nil
}

var fuzzSegments = []string{"1", "2", "0", "-1", "999999", "9223372036854775808", "Alpha", "Bravo", "abc", "%00", "%ff", "%2e%2e", "..%2f..",
	"é", strings.Repeat("x", 300), "%20", "null", "1.5", "1e9"}

var fuzzQueryKeys = []string{"q", "from", "to", "state", "member", "format", "next", "tz", "thread", "week", "duration", "with", "page", "id"}

var fuzzValues = []string{"", "x", "2026-03-01", "2026-13-40", "-1", "99999999999999999999", "%00", "all", "open", "yaml", "csv", "json",
	"/\\evil.example", "Europe/Lisbon", "Mars/Olympus", "ana@example.com", "30m", "-5h", "<script>", strings.Repeat("9", 400), "\xff\xfe"}

// fuzzRequest makes a random request for a route pattern.
func fuzzRequest(rng *rand.Rand, f *fixture, pattern string) *http.Request {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	if rng.IntN(10) == 0 {
		method = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}[rng.IntN(5)]
	}
	real := map[string]string{"{team}": fmt.Sprint(f.teamA.ID), "{member}": fmt.Sprint(f.teamA.Members[0].ID), "{id}": "1", "{name}": "async-prep-huddle"}
	for _, p := range []string{"{team}", "{member}", "{id}", "{name}", "{thread}", "{round}"} {
		for strings.Contains(path, p) {
			v := real[p]
			if v == "" || rng.IntN(2) == 0 {
				v = fuzzSegments[rng.IntN(len(fuzzSegments))]
			}
			path = strings.Replace(path, p, v, 1)
		}
	}
	path = strings.ReplaceAll(path, "{$}", "")
	if strings.HasSuffix(path, "/") && path != "/" {
		path += fuzzSegments[rng.IntN(len(fuzzSegments))]
	}
	var q []string
	for range rng.IntN(4) {
		q = append(q, fuzzQueryKeys[rng.IntN(len(fuzzQueryKeys))]+"="+url.QueryEscape(fuzzValues[rng.IntN(len(fuzzValues))]))
	}
	if rng.IntN(8) == 0 {
		q = append(q, "%zz=%"+fuzzSegments[rng.IntN(len(fuzzSegments))])
	}
	target := path
	if len(q) > 0 {
		target += "?" + strings.Join(q, "&")
	}
	body, ctype := fuzzBody(rng)
	req, err := http.NewRequest(method, "http://rhythm.test"+target, bytes.NewReader(body))
	if err != nil {
		req, _ = http.NewRequest(method, "http://rhythm.test/", bytes.NewReader(body))
	}
	req.RemoteAddr = "192.0.2.1:1234"
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, vs := range map[string][]string{
		"Accept":          {"application/json", "text/html", "*/*", "text/csv", "\x7f"},
		"Sec-Fetch-Site":  {"same-origin", "none", "cross-site"},
		"Authorization":   {"Bearer nope", "Bearer rt_" + strings.Repeat("a", 40), "Basic Zm9vOmJhcg==", "Bearer"},
		"X-Forwarded-For": {"203.0.113.9", "garbage", "::1, 10.0.0.1"},
		"Accept-Language": {"pt-PT", strings.Repeat("x", 500)},
	} {
		if rng.IntN(4) == 0 {
			req.Header.Set(k, vs[rng.IntN(len(vs))])
		}
	}
	return req
}

var fuzzJSONKeys = []string{"title", "owner", "participants", "due_by", "what", "why", "team", "members", "name", "email", "zone", "answers",
	"stakeholders", "zones", "ambiguity", "urgency", "relationship", "kind", "note", "date", "roles", "create", "role", "password", "from", "to", "duration"}

func fuzzJSON(rng *rand.Rand, depth int) string {
	switch k := rng.IntN(9); {
	case depth > 2 || k < 3:
		return []string{`""`, `"x"`, `0`, `-1`, `1e308`, `true`, `null`, `"2026-03-02T10:00:00Z"`, `"ana@example.com"`, `"\u0000"`, `"Europe/Lisbon"`, `"high"`}[rng.IntN(12)]
	case k < 5:
		var parts []string
		for range rng.IntN(4) {
			parts = append(parts, fuzzJSON(rng, depth+1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		var parts []string
		for range 1 + rng.IntN(5) {
			parts = append(parts, fmt.Sprintf("%q:%s", fuzzJSONKeys[rng.IntN(len(fuzzJSONKeys))], fuzzJSON(rng, depth+1)))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
}

// fuzzBody returns a random body and its content type.
func fuzzBody(rng *rand.Rand) ([]byte, string) {
	switch rng.IntN(8) {
	case 0:
		return nil, ""
	case 1:
		b := make([]byte, rng.IntN(2048))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b, []string{"application/json", "application/octet-stream", "", "text/calendar"}[rng.IntN(4)]
	case 2, 3:
		s := fuzzJSON(rng, 0)
		if rng.IntN(5) == 0 {
			s = s[:rng.IntN(len(s)+1)] // truncated
		}
		return []byte(s), "application/json"
	case 4:
		return []byte("team: " + fuzzValues[rng.IntN(len(fuzzValues))] + "\nmembers:\n  - {name: " + fuzzValues[rng.IntN(len(fuzzValues))] + ", email: x@example.com, zone: UTC}\n"), "application/yaml"
	case 5:
		v := url.Values{}
		for range rng.IntN(5) {
			v.Add(fuzzJSONKeys[rng.IntN(len(fuzzJSONKeys))], fuzzValues[rng.IntN(len(fuzzValues))])
		}
		return []byte(v.Encode()), "application/x-www-form-urlencoded"
	default:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile([]string{"file", "roster", "csv", "calendar", "x"}[rng.IntN(5)], []string{"a.zip", "a.ics", "a.csv", "a.mbox", "../../a"}[rng.IntN(5)])
		content := []string{"PK\x03\x04garbage", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026", "start,end\n1,2\n", "From x\nSubject: y\n\n", "\x00\x01"}[rng.IntN(5)]
		fw.Write([]byte(content))
		mw.WriteField(fuzzJSONKeys[rng.IntN(len(fuzzJSONKeys))], fuzzValues[rng.IntN(len(fuzzValues))])
		if rng.IntN(3) > 0 {
			mw.Close()
		}
		ct := mw.FormDataContentType()
		if rng.IntN(6) == 0 {
			ct = "multipart/form-data" // no boundary
		}
		return b.Bytes(), ct
	}
}
