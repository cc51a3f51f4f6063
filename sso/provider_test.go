package sso_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// This file runs a real OpenID Provider in the test process: zitadel/oidc's
// certified op package with the in-memory storage and the login form of its
// example server. Between it and rhythm sits a thin interceptor that, when a
// test asks, changes what the provider sends (a tampered ID token, an extra
// published key, another nonce), so that each refusal is shown on the path
// production takes.

const (
	testClientID     = "rhythm"
	testClientSecret = "rhythm-client-secret"
	testPassword     = "correct horse battery"
	callbackPath     = "/auth/oidc/callback"
	adminGroup       = "rhythm-admins"
)

// person is an account at the test provider.
type person struct {
	username, email string
	verified        bool
	groups          []string
}

var people = []person{
	{"ana", "ana@corp.example", true, []string{"staff"}},
	{"boss", "boss@corp.example", true, []string{"staff", adminGroup}},
	{"pat", "pat@partner.example", true, nil},
	{"eve", "eve@elsewhere.example", true, nil},
	{"max", "max@corp.example", false, []string{"staff"}},
}

// userStore implements the example storage's UserStore with people.
type userStore struct{ users map[string]*storage.User }

func newUserStore() userStore {
	s := userStore{users: map[string]*storage.User{}}
	for _, p := range people {
		s.users["id-"+p.username] = &storage.User{
			ID: "id-" + p.username, Username: p.username, Password: testPassword,
			FirstName: strings.ToUpper(p.username[:1]) + p.username[1:], LastName: "Tester",
			Email: p.email, EmailVerified: p.verified, PreferredLanguage: language.English,
		}
	}
	return s
}

func (s userStore) GetUserByID(id string) *storage.User { return s.users[id] }
func (s userStore) ExampleClientID() string             { return storage.ServiceUserID }
func (s userStore) GetUserByUsername(name string) *storage.User {
	for _, u := range s.users {
		if u.Username == name {
			return u
		}
	}
	return nil
}

// opStorage adds a groups claim to the example storage's ID tokens and puts
// the userinfo claims (email, name) in the ID token, as Google, Entra ID and
// Keycloak do.
type opStorage struct {
	*storage.Storage
	groups map[string][]string // by subject
}

func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, token, scopes); err != nil {
		return err
	}
	if g := s.groups[token.GetSubject()]; len(g) > 0 {
		ui.AppendClaims("groups", g)
	}
	return nil
}

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return claimsInIDToken{c}, nil
}

type claimsInIDToken struct{ op.Client }

func (claimsInIDToken) IDTokenUserinfoClaimsAssertion() bool { return true }

// provider is the running test provider with its interceptor.
type provider struct {
	srv       *httptest.Server
	published *rsa.PrivateKey // a key the interceptor adds to the provider's JWKS
	stranger  *rsa.PrivateKey // a key nobody publishes

	mu sync.Mutex
	// rewriteToken, when set, replaces the ID token in token responses by
	// the claims it returns, signed with the key it returns.
	rewriteToken func(claims map[string]any) (map[string]any, *rsa.PrivateKey, string)
	// rewriteAuth, when set, changes the authorization request's query.
	rewriteAuth func(q url.Values)
}

// startProvider starts the provider for a relying party whose callback is
// known only once rhythm's test server runs; the provider serves once
// register is called with that callback.
func startProvider() (p *provider, register func(redirectURI string), err error) {
	p = &provider{}
	if p.published, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, nil, err
	}
	if p.stranger, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, nil, err
	}
	var (
		mu      sync.Mutex
		handler http.Handler = http.NotFoundHandler()
	)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := handler
		mu.Unlock()
		p.intercept(h, w, r)
	}))
	register = func(redirectURI string) {
		groups := map[string][]string{}
		for _, pp := range people {
			groups["id-"+pp.username] = pp.groups
		}
		st := &opStorage{
			Storage: storage.NewStorageWithClients(newUserStore(), map[string]*storage.Client{
				testClientID: storage.WebClient(testClientID, testClientSecret, redirectURI),
			}),
			groups: groups,
		}
		h := exampleop.SetupServer(p.srv.URL, st, nil, false)
		mu.Lock()
		handler = h
		mu.Unlock()
	}
	return p, register, nil
}

func (p *provider) set(auth func(url.Values), token func(map[string]any) (map[string]any, *rsa.PrivateKey, string)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewriteAuth, p.rewriteToken = auth, token
}

func (p *provider) intercept(next http.Handler, w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	auth, token := p.rewriteAuth, p.rewriteToken
	p.mu.Unlock()
	switch {
	case r.URL.Path == "/auth" && auth != nil:
		q := r.URL.Query()
		auth(q)
		r.URL.RawQuery = q.Encode()
	case r.URL.Path == "/keys":
		p.rewriteJSON(next, w, r, p.addPublishedKey)
		return
	case r.URL.Path == "/oauth/token" && token != nil:
		p.rewriteJSON(next, w, r, func(body map[string]any) error { return resign(body, token) })
		return
	}
	next.ServeHTTP(w, r)
}

// rewriteJSON serves r with next and passes the JSON body through edit.
func (p *provider) rewriteJSON(next http.Handler, w http.ResponseWriter, r *http.Request, edit func(map[string]any) error) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	var body map[string]any
	if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &body) == nil {
		if err := edit(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out, _ := json.Marshal(body)
		rec.Body = bytes.NewBuffer(out)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (p *provider) addPublishedKey(body map[string]any) error {
	jwk := jose.JSONWebKey{Key: &p.published.PublicKey, KeyID: "test-published", Algorithm: "RS256", Use: "sig"}
	raw, err := jwk.MarshalJSON()
	if err != nil {
		return err
	}
	var k any
	json.Unmarshal(raw, &k)
	keys, _ := body["keys"].([]any)
	body["keys"] = append(keys, k)
	return nil
}

// resign replaces the token response's ID token by the rewritten claims of
// the provider's own token, signed anew.
func resign(body map[string]any, rewrite func(map[string]any) (map[string]any, *rsa.PrivateKey, string)) error {
	raw, _ := body["id_token"].(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return err
	}
	claims, key, kid := rewrite(claims)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return err
	}
	out, _ := json.Marshal(claims)
	jws, err := signer.Sign(out)
	if err != nil {
		return err
	}
	body["id_token"], err = jws.CompactSerialize()
	return err
}

// browser is a client with a cookie jar that stops before rhythm's callback,
// so that a test can look at (and replay) it.
type browser struct {
	*http.Client
	jar http.CookieJar
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == callbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &browser{Client: c, jar: jar}
}

var formID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signInAtProvider starts a sign-in at rhythm (GET /login), fills in the
// provider's own login form and returns rhythm's callback URL that the
// provider redirects to.
func (b *browser) signInAtProvider(t *testing.T, rhythmURL, username string) string {
	t.Helper()
	resp, err := b.Get(rhythmURL + "/login?next=/teams")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formID.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /login ended at %s with %d, not the provider's login form:\n%s", resp.Request.URL, resp.StatusCode, page)
	}
	form := url.Values{"id": {string(m[1])}, "username": {username}, "password": {testPassword}}
	loginURL := resp.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	resp, err = b.PostForm(loginURL.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, rhythmURL+callbackPath) {
		t.Fatalf("the provider's login form answered %d, Location %q; want a redirect to rhythm's callback", resp.StatusCode, loc)
	}
	return loc
}

// sealedCookie returns the sign-in cookie the browser holds for rhythm.
func (b *browser) sealedCookie(t *testing.T, rhythmURL string) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(rhythmURL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "rhythm_oidc" {
			return c
		}
	}
	t.Fatal("the browser holds no sign-in cookie")
	return nil
}
