package main

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"connectrpc.com/vanguard"
	"connectrpc.com/vanguard/vanguardgrpc"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/web"
)

// serve --http ADDR: the explorer page and the JSON API on one HTTP server beside the
// gRPC one. The API is the gRPC server itself behind connectrpc.com/vanguard's
// transcoder: a Connect call (POST /newsgraph.v1.NewsGraphService/METHOD with a JSON
// or binary body; also gRPC-Web) is turned into a gRPC call handed to the same
// grpc.Server, so it runs the same handlers and the same interceptors (call log,
// tokens, deadlines, panic recovery) and no query has a second implementation:
//
//	curl -H 'Content-Type: application/json' -d '{"query":"Kerry","mode":"SEARCH_MODE_FUZZY"}' \
//	    http://127.0.0.1:7475/newsgraph.v1.NewsGraphService/SearchEntities
//
// A token-protected server wants "Authorization: Bearer TOKEN" on HTTP calls as on
// gRPC ones; with --tls-cert the HTTP port serves TLS with the same certificates.

// apiPrefix is the path under which the newsgraph.v1 methods are served; healthPrefix
// the gRPC health service's (Check answers a JSON POST too).
var (
	apiPrefix    = "/" + pb.NewsGraphService_ServiceDesc.ServiceName + "/"
	healthPrefix = "/" + healthpb.Health_ServiceDesc.ServiceName + "/"
)

// httpExtras are what other parts of serve add to the HTTP server: routes beside the
// page and the API ("/metrics" → a handler), and middleware wrapped around all of it,
// outermost first (request ids, access log). Adding one is one line in serve.
type httpExtras struct {
	routes     map[string]http.Handler
	middleware []func(http.Handler) http.Handler
}

// newHTTPHandler builds the handler of serve --http over gs: "/" the explorer page,
// apiPrefix and healthPrefix the transcoded API, then extras' routes, behind the Host
// check of a loopback listener and extras' middleware.
func newHTTPHandler(gs *grpc.Server, cfg server.Config, lis net.Addr, extras httpExtras) (http.Handler, error) {
	api, err := vanguardgrpc.NewTranscoder(gs, vanguard.WithDefaultServiceOptions(
		// A JSON request is buffered whole before it becomes a gRPC message: bound it as
		// gRPC bounds its messages (and LoadArticles its articles).
		vanguard.WithMaxMessageBufferBytes(uint32(cfg.MaxRecvMsgBytes)),
	))
	if err != nil {
		return nil, fmt.Errorf("http api: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.Handle(apiPrefix, connectByDefault(api))
	mux.Handle(healthPrefix, connectByDefault(api))
	for pattern, h := range extras.routes {
		mux.Handle(pattern, h)
	}
	var h http.Handler = mux
	if ta, ok := lis.(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		h = loopbackHostOnly(h)
	}
	for i := len(extras.middleware) - 1; i >= 0; i-- {
		h = extras.middleware[i](h)
	}
	return h, nil
}

// connectByDefault marks a POST of a JSON or binary message without the Connect header
// as a Connect unary call (Connect-Protocol-Version: 1), as connect-go servers take it:
// vanguard would read it as a REST call and find no route, and `curl -H 'Content-Type:
// application/json' -d ...` is the plain way to call a method.
func connectByDefault(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		if r.Method == http.MethodPost && r.Header.Get("Connect-Protocol-Version") == "" &&
			(strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "application/proto")) {
			r.Header.Set("Connect-Protocol-Version", "1")
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHostOnly refuses requests whose Host is not a loopback address or localhost:
// a page of another site that re-binds its DNS name to 127.0.0.1 would otherwise call
// a loopback server, which has no tokens, as its own origin.
func loopbackHostOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		ip := net.ParseIP(host)
		if !(ip != nil && ip.IsLoopback()) && host != "localhost" && !strings.HasSuffix(host, ".localhost") {
			http.Error(w, "this server listens on a loopback address: ask for it by 127.0.0.1, [::1] or localhost", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// httpURL is the explorer's address for the log: http(s)://host:port/.
func httpURL(a net.Addr, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	return scheme + "://" + a.String() + "/"
}
