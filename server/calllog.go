package server

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// The call log: one line per finished call, at callLevel of its status code, with the
// field names of go-grpc-middleware's logging interceptor (grpc.service, grpc.method,
// grpc.method_type, grpc.code, grpc.time_ms, peer.address, and error.cause for an
// internal error), and principal, the name of the call's token, when the server checks
// tokens. It replaces that interceptor, which builds its fields (peer
// address, start time formatted, deadline) for every call before it knows whether the
// line will be written: under ghz with 50 callers of ListRelations that took about 9%
// of the server's CPU (CPU profile with bench/cmd/profserve) while a server at the
// default level "info" writes no line for a successful call. Here nothing is built
// unless the level is enabled.
//
// Every call has a request id (requestid.go): the client's x-request-id when it sent
// a sane one, else a new one. It is sent back in the response header x-request-id and
// every line logged with the call's context carries it as request_id, this one too.

// callNote carries what a handler adds to its call's log line, and the call's request
// id.
type callNote struct {
	cause     string
	requestID string
}

type callNoteKey struct{}

// noteCause adds an internal error's text to the call's log line; it reports false
// when the call is not logged by callLog (the caller logs the error itself).
func noteCause(ctx context.Context, cause string) bool {
	n, _ := ctx.Value(callNoteKey{}).(*callNote)
	if n == nil {
		return false
	}
	n.cause = cause
	return true
}

// callLevel is the log level of a finished call: successful calls at debug, the
// client's mistakes at info, the server's trouble at warn and error.
func callLevel(c codes.Code) slog.Level {
	if c == codes.OK {
		return slog.LevelDebug
	}
	return slog.Level(logging.DefaultServerCodeToLevel(c))
}

// unaryCallLog gives unary calls their request id and logs them.
func (s *Server) unaryCallLog(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	start := time.Now()
	n := &callNote{requestID: incomingRequestID(ctx)}
	_ = grpc.SetHeader(ctx, metadata.MD{RequestIDHeader: {n.requestID}})
	ctx = context.WithValue(ctx, callNoteKey{}, n)
	resp, err := next(ctx, req)
	s.logCall(ctx, info.FullMethod, "unary", start, err, n)
	return resp, err
}

// streamCallLog gives streaming calls their request id and logs them.
func (s *Server) streamCallLog(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	start := time.Now()
	n := &callNote{requestID: incomingRequestID(ss.Context())}
	_ = ss.SetHeader(metadata.MD{RequestIDHeader: {n.requestID}})
	ns := &notedStream{ServerStream: ss, ctx: context.WithValue(ss.Context(), callNoteKey{}, n)}
	err := next(srv, ns)
	typ := "bidi_stream"
	switch {
	case info.IsClientStream && !info.IsServerStream:
		typ = "client_stream"
	case info.IsServerStream && !info.IsClientStream:
		typ = "server_stream"
	}
	s.logCall(ns.ctx, info.FullMethod, typ, start, err, n)
	return err
}

// notedStream is a ServerStream whose context carries the call's note.
type notedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (n *notedStream) Context() context.Context { return n.ctx }

func (s *Server) logCall(ctx context.Context, fullMethod, typ string, start time.Time, err error, n *callNote) {
	code := status.Code(err)
	lvl := callLevel(code)
	if !s.log.Enabled(ctx, lvl) {
		return
	}
	service, method, _ := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("grpc.component", "server"),
		slog.String("grpc.service", service),
		slog.String("grpc.method", method),
		slog.String("grpc.method_type", typ),
		slog.String("grpc.code", code.String()),
		slog.Float64("grpc.time_ms", float64(time.Since(start).Microseconds())/1000),
	)
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		attrs = append(attrs, slog.String("peer.address", p.Addr.String()))
	}
	if name := s.callPrincipal(ctx, fullMethod); name != "" {
		attrs = append(attrs, slog.String("principal", name))
	}
	if err != nil {
		attrs = append(attrs, slog.String("grpc.error", status.Convert(err).Message()))
	}
	if n.cause != "" {
		attrs = append(attrs, slog.String("error.cause", n.cause))
	}
	s.log.LogAttrs(ctx, lvl, "finished call", attrs...)
}

// callPrincipal is the name of the token a call carries, for its log line: Principal
// of ctx when the auth interceptor ran before the call log, else the bearer token of
// the call's metadata looked up (the call log comes before the auth interceptor, so
// that refused calls are logged too, and cannot see the context it makes). A valid
// token refused for its scope still names its holder; no token, an unknown token, a
// server without tokens and a public method (health, reflection when configured)
// name no one. It runs only for a line that is written.
func (s *Server) callPrincipal(ctx context.Context, fullMethod string) string {
	if name := Principal(ctx); name != "" {
		return name
	}
	if s.cfg.Tokens == nil {
		return ""
	}
	if _, public := s.requiredScope(fullMethod); public {
		return ""
	}
	tok, err := auth.AuthFromMD(ctx, "bearer")
	if err != nil {
		return ""
	}
	name, _, _ := s.cfg.Tokens.lookup(tok)
	return name
}
