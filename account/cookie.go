package account

import (
	"net/http"
	"strings"
)

// SecureCookies reports whether rhythm's cookies on r (the session's and
// those of a sign-in in progress) are Secure, and so named with the
// "__Host-" prefix: when the client reached rhythm over TLS, directly or
// through a proxy that says so in X-Forwarded-Proto, or when publicURL
// (where people open rhythm, "" when not set) is https even if the proxy in
// front does not say so. Any proxy is believed here: a needless Secure
// flag does no harm, while a missing one lets a browser send the cookie
// over plain http.
func SecureCookies(r *http.Request, publicURL string) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") ||
		strings.HasPrefix(strings.ToLower(publicURL), "https://")
}
