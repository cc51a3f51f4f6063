// Package ssotest runs a real OpenID Provider in a test process for
// rhythm's single sign-on tests: zitadel/oidc's certified op package with
// the in-memory storage and the login form of its example server, on
// loopback. Between it and rhythm sits a thin interceptor that, when a test
// asks, changes what the provider sends (a tampered ID token, an extra
// published key, another nonce), so that each refusal is shown on the path
// production takes.
package ssotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The client rhythm is at the provider, and what every test account's
// password is.
const (
	ClientID     = "rhythm"
	ClientSecret = "rhythm-client-secret"
	Password     = "correct horse battery"
	CallbackPath = "/auth/oidc/callback"
	// AdminGroup is a groups claim value some people have.
	AdminGroup = "rhythm-admins"
	// PublishedKeyID names the extra key the provider publishes (Published).
	PublishedKeyID = "test-published"
)

// Person is an account at the test provider; its subject is "id-" +
// Username and its name Username capitalised + " Tester".
type Person struct {
	Username, Email string
	Verified        bool
	Groups          []string
}

// People are the provider's accounts.
var People = []Person{
	{"ana", "ana@corp.example", true, []string{"staff"}},
	{"boss", "boss@corp.example", true, []string{"staff", AdminGroup}},
	{"pat", "pat@partner.example", true, nil},
	{"eve", "eve@elsewhere.example", true, nil},
	{"max", "max@corp.example", false, []string{"staff"}},
}

// PersonNamed returns the person with the username; it panics on a name
// that is not in People, a mistake in the test.
func PersonNamed(username string) Person {
	for _, p := range People {
		if p.Username == username {
			return p
		}
	}
	panic("ssotest: no person " + username)
}

// userStore implements the example storage's UserStore with People.
type userStore struct{ users map[string]*storage.User }

func newUserStore() userStore {
	s := userStore{users: map[string]*storage.User{}}
	for _, p := range People {
		s.users["id-"+p.Username] = &storage.User{
			ID: "id-" + p.Username, Username: p.Username, Password: Password,
			FirstName: strings.ToUpper(p.Username[:1]) + p.Username[1:], LastName: "Tester",
			Email: p.Email, EmailVerified: p.Verified, PreferredLanguage: language.English,
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
	groups     map[string][]string // by subject
	postLogout []string
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
	return client{c, s.postLogout}, nil
}

// client is the example's web client with the ID token carrying the
// userinfo claims and registered addresses to return to after sign-out.
type client struct {
	op.Client
	postLogout []string
}

func (client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c client) PostLogoutRedirectURIs() []string   { return c.postLogout }

// TokenRewrite replaces the ID token of a token response by the claims it
// returns, signed with the key it returns under the key id it returns.
type TokenRewrite = func(claims map[string]any) (map[string]any, *rsa.PrivateKey, string)

// Provider is the running test provider with its interceptor.
type Provider struct {
	URL       string          // the issuer
	Published *rsa.PrivateKey // a key the interceptor adds to the provider's JWKS
	Stranger  *rsa.PrivateKey // a key nobody publishes

	srv     *httptest.Server
	mu      sync.Mutex
	handler http.Handler
	// rewriteToken and rewriteAuth, when set, change token responses and
	// authorization requests.
	rewriteToken TokenRewrite
	rewriteAuth  func(q url.Values)
}

// Start starts a provider on loopback. It answers 404 until Register names
// the relying party's addresses, which are often known only once rhythm's
// test server runs.
func Start() (*Provider, error) {
	p := &Provider{handler: http.NotFoundHandler()}
	var err error
	if p.Published, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if p.Stranger, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		h := p.handler
		p.mu.Unlock()
		p.intercept(h, w, r)
	}))
	p.URL = p.srv.URL
	return p, nil
}

// Register makes rhythm a client of the provider, with redirectURI (the
// callback) and the addresses it may send people to after signing out
// there. Each call starts the provider afresh: nobody is signed in.
func (p *Provider) Register(redirectURI string, postLogout ...string) {
	groups := map[string][]string{}
	for _, pp := range People {
		groups["id-"+pp.Username] = pp.Groups
	}
	st := &opStorage{
		Storage: storage.NewStorageWithClients(newUserStore(), map[string]*storage.Client{
			ClientID: storage.WebClient(ClientID, ClientSecret, redirectURI),
		}),
		groups:     groups,
		postLogout: postLogout,
	}
	h := exampleop.SetupServer(p.URL, st, nil, false)
	p.mu.Lock()
	p.handler = h
	p.mu.Unlock()
}

// Close stops the provider.
func (p *Provider) Close() { p.srv.Close() }

// Set changes what the provider does from now on: auth edits the query of
// authorization requests, token rewrites ID tokens; nil leaves them be.
func (p *Provider) Set(auth func(url.Values), token TokenRewrite) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewriteAuth, p.rewriteToken = auth, token
}

func (p *Provider) intercept(next http.Handler, w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	auth, token := p.rewriteAuth, p.rewriteToken
	p.mu.Unlock()
	switch {
	case r.URL.Path == "/auth" && auth != nil:
		q := r.URL.Query()
		auth(q)
		r.URL.RawQuery = q.Encode()
	case r.URL.Path == "/keys":
		rewriteJSON(next, w, r, p.addPublishedKey)
		return
	case r.URL.Path == "/oauth/token" && token != nil:
		rewriteJSON(next, w, r, func(body map[string]any) error { return resign(body, token) })
		return
	}
	next.ServeHTTP(w, r)
}

// rewriteJSON serves r with next and passes the JSON body through edit.
func rewriteJSON(next http.Handler, w http.ResponseWriter, r *http.Request, edit func(map[string]any) error) {
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

func (p *Provider) addPublishedKey(body map[string]any) error {
	jwk := jose.JSONWebKey{Key: &p.Published.PublicKey, KeyID: PublishedKeyID, Algorithm: "RS256", Use: "sig"}
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
func resign(body map[string]any, rewrite TokenRewrite) error {
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
