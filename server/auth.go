package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/internal/tlsfile"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// Authentication and transport security.
//
// A server with Config.Tokens checks every call in one interceptor (authenticate, the
// same for unary and streaming calls, installed through go-grpc-middleware's auth
// package): the call must carry "authorization: Bearer TOKEN" metadata whose token is
// in the file, with the scope the method needs (requiredScope). Tokens are kept as
// SHA-256 digests and compared in constant time, every one of them on each call, so
// neither the time of a refusal nor the file's order tells a caller how close a guess
// was. Without Config.Tokens no call is checked (the default, for loopback serving).

// Scope is a set of permissions a token grants.
type Scope uint8

// The scopes of a token file. ScopeAdmin implies the others; write does not imply
// read (a loader that also queries lists both: "read,write").
const (
	ScopeRead  Scope = 1 << iota // the queries, export, stats
	ScopeWrite                   // LoadArticles and DeleteArticle
	ScopeAdmin                   // everything, also methods added later
)

// scopeNames are the scope words of a token file.
var scopeNames = []struct {
	name  string
	scope Scope
}{{"read", ScopeRead}, {"write", ScopeWrite}, {"admin", ScopeAdmin}}

// String returns the scopes as a token file writes them ("read,write").
func (s Scope) String() string {
	var names []string
	for _, n := range scopeNames {
		if s&n.scope != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

// allows reports whether s grants need.
func (s Scope) allows(need Scope) bool {
	return s&ScopeAdmin != 0 || (need != 0 && s&need == need)
}

// Tokens are the bearer tokens a server accepts, each with a name (for the log) and
// scopes. The zero value accepts no token. A Tokens is safe for concurrent use and
// never changes after LoadTokens or ParseTokens returned it.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	digest [sha256.Size]byte
	name   string
	scopes Scope
}

// minTokenLen is the shortest token a token file may hold: 16 characters of a random
// base64 or hex string are 96 bits or more.
const minTokenLen = 16

// LoadTokens reads a token file (see ParseTokens). Errors name the file and line.
func LoadTokens(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	return ParseTokens(path, f)
}

// ParseTokens reads a token file from r; name is the file's name in errors
// ("tokens.txt:3: ..."). Each line is "TOKEN NAME SCOPES", separated by spaces or
// tabs, SCOPES a comma-separated list of read, write and admin; blank lines and lines
// whose first non-blank character is '#' are ignored. A token must be at least 16
// characters; tokens and names must be unique. An empty file is an error: a server
// given a token file that accepts no token would refuse every call.
func ParseTokens(name string, r io.Reader) (*Tokens, error) {
	t := &Tokens{}
	byName := map[string]int{}
	byDigest := map[[sha256.Size]byte]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		where := fmt.Sprintf("%s:%d", name, line)
		f := strings.Fields(text)
		if len(f) != 3 {
			return nil, fmt.Errorf("%s: %d fields, want 3: TOKEN NAME SCOPES (scopes: read, write, admin, comma-separated)", where, len(f))
		}
		tok, who, list := f[0], f[1], f[2]
		if len(tok) < minTokenLen {
			return nil, fmt.Errorf("%s: token of %s is %d characters, want at least %d", where, who, len(tok), minTokenLen)
		}
		var scopes Scope
		for _, w := range strings.Split(list, ",") {
			s, ok := parseScope(w)
			if !ok {
				return nil, fmt.Errorf("%s: scope %q of %s, want read, write or admin", where, w, who)
			}
			scopes |= s
		}
		if prev, dup := byName[who]; dup {
			return nil, fmt.Errorf("%s: name %s is used on line %d already", where, who, prev)
		}
		d := sha256.Sum256([]byte(tok))
		if prev, dup := byDigest[d]; dup {
			return nil, fmt.Errorf("%s: the token of %s is the token of line %d", where, who, prev)
		}
		byName[who], byDigest[d] = line, line
		t.entries = append(t.entries, tokenEntry{digest: d, name: who, scopes: scopes})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(t.entries) == 0 {
		return nil, fmt.Errorf("%s: no tokens (want lines TOKEN NAME SCOPES)", name)
	}
	return t, nil
}

func parseScope(w string) (Scope, bool) {
	for _, n := range scopeNames {
		if w == n.name {
			return n.scope, true
		}
	}
	return 0, false
}

// Len returns the number of tokens; 0 for nil.
func (t *Tokens) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// lookup returns the name and scopes of token. It compares the token's digest with
// every entry's in constant time and does not stop at a match.
func (t *Tokens) lookup(token string) (name string, scopes Scope, ok bool) {
	d := sha256.Sum256([]byte(token))
	found := -1
	for i := range t.entries {
		if subtle.ConstantTimeCompare(d[:], t.entries[i].digest[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", 0, false
	}
	e := t.entries[found]
	return e.name, e.scopes, true
}

// Method prefixes of the services a server registers besides newsgraph.v1.
var (
	healthPrefix     = "/" + healthpb.Health_ServiceDesc.ServiceName + "/"
	reflectionPrefix = "/grpc.reflection." // v1 and v1alpha
	servicePrefix    = "/" + pb.NewsGraphService_ServiceDesc.ServiceName + "/"
)

// writeMethods change the store.
var writeMethods = map[string]bool{
	servicePrefix + "LoadArticles":  true,
	servicePrefix + "DeleteArticle": true,
}

// requiredScope returns the scope a call of method needs, or public when it needs no
// token: health and reflection when configured public. Health and reflection
// otherwise take any valid token; a method this table does not know needs admin.
func (s *Server) requiredScope(method string) (need Scope, public bool) {
	switch {
	case writeMethods[method]:
		return ScopeWrite, false
	case strings.HasPrefix(method, servicePrefix):
		return ScopeRead, false
	case strings.HasPrefix(method, healthPrefix):
		return 0, s.cfg.PublicHealth
	case strings.HasPrefix(method, reflectionPrefix):
		return 0, s.cfg.PublicReflection
	}
	return ScopeAdmin, false
}

type principalKey struct{}

// Principal returns the name of the token a call was authenticated with, or "" when
// the server checks no tokens or the method is public.
func Principal(ctx context.Context) string {
	name, _ := ctx.Value(principalKey{}).(string)
	return name
}

// authenticate is the auth.AuthFunc of both interceptors: it finds the call's method
// in ctx, lets public methods through and checks the bearer token of the others.
func (s *Server) authenticate(ctx context.Context) (context.Context, error) {
	method, _ := grpc.Method(ctx)
	need, public := s.requiredScope(method)
	if public {
		return ctx, nil
	}
	tok, err := auth.AuthFromMD(ctx, "bearer")
	if err != nil {
		return nil, authError(codes.Unauthenticated, "MISSING_TOKEN", nil,
			"missing bearer token: send metadata \"authorization: Bearer TOKEN\" (newsgraph: --token or NEWSGRAPH_TOKEN)")
	}
	name, scopes, ok := s.cfg.Tokens.lookup(tok)
	if !ok {
		return nil, authError(codes.Unauthenticated, "INVALID_TOKEN", nil, "invalid bearer token")
	}
	if need != 0 && !scopes.allows(need) {
		return nil, authError(codes.PermissionDenied, "INSUFFICIENT_SCOPE", map[string]string{"required_scope": need.String(), "token_scope": scopes.String()},
			fmt.Sprintf("token %s has scope %s, %s needs %s", name, scopes, strings.TrimPrefix(method, "/"), need))
	}
	return context.WithValue(ctx, principalKey{}, name), nil
}

// authError is a refusal with a google.rpc.ErrorInfo of reason (MISSING_TOKEN,
// INVALID_TOKEN, INSUFFICIENT_SCOPE) in errorDomain.
func authError(code codes.Code, reason string, md map[string]string, msg string) error {
	return withDetails(status.New(code, msg), &errdetails.ErrorInfo{Reason: reason, Domain: errorDomain, Metadata: md}).Err()
}

// authInterceptors returns the unary and stream interceptors that check tokens, or
// nils when the server checks none.
func (s *Server) authInterceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	if s.cfg.Tokens == nil {
		return nil, nil
	}
	return auth.UnaryServerInterceptor(s.authenticate), auth.StreamServerInterceptor(s.authenticate)
}

// LoadTLS returns the server's TLS configuration from PEM files: its certificate
// chain and private key, and when clientCAFile is not empty the CAs whose client
// certificates it requires (mTLS: a client without a certificate they signed is
// refused during the handshake). TLS 1.2 is the oldest version it speaks. Errors
// name the file.
func LoadTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("tls: want both a certificate and a key file")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls: certificate %s, key %s: %w", certFile, keyFile, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pool, err := LoadCertPool(clientCAFile)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// LoadCertPool returns a pool of the PEM certificates in file.
func LoadCertPool(file string) (*x509.CertPool, error) { return tlsfile.CertPool(file) }
