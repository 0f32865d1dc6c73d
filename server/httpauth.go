package server

import (
	"net/http"
	"strings"
)

// RequireTokenHTTP guards an HTTP handler of the server's own (such as /metrics) with
// the token file the gRPC calls are checked against: a request needs
// "Authorization: Bearer TOKEN" of a token with scope need (401 without a valid token,
// 403 with one of too little scope). With nil tokens it is next itself.
func RequireTokenHTTP(t *Tokens, need Scope, next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "bearer") || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsgraph"`)
			http.Error(w, "missing bearer token: send \"Authorization: Bearer TOKEN\"", http.StatusUnauthorized)
			return
		}
		_, scopes, ok := t.lookup(strings.TrimSpace(tok))
		switch {
		case !ok:
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsgraph", error="invalid_token"`)
			http.Error(w, "invalid bearer token", http.StatusUnauthorized)
		case !scopes.allows(need):
			http.Error(w, "token scope "+scopes.String()+", this needs "+need.String(), http.StatusForbidden)
		default:
			next.ServeHTTP(w, r)
		}
	})
}
