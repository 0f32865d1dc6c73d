package server

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"

	"google.golang.org/grpc/metadata"
)

// RequestIDHeader is the metadata key (and HTTP header) of a call's request id. A call
// may bring its own: a sane one (1 to MaxRequestIDBytes letters, digits or
// "-_.:/+@") is kept, anything else is replaced by a new id of 32 hex digits. The
// server sends the id back in the response header and logs it with the call as
// request_id.
const RequestIDHeader = "x-request-id"

// MaxRequestIDBytes is the longest request id a client may choose.
const MaxRequestIDBytes = 128

// incomingRequestID returns the request id of a call: its client's when sane, else a
// new one.
func incomingRequestID(ctx context.Context) string {
	if vs := metadata.ValueFromIncomingContext(ctx, RequestIDHeader); len(vs) > 0 && saneRequestID(vs[0]) {
		return vs[0]
	}
	return NewRequestID()
}

// RequestID returns the request id of the call ctx belongs to ("" outside a call).
func RequestID(ctx context.Context) string {
	if n, _ := ctx.Value(callNoteKey{}).(*callNote); n != nil {
		return n.requestID
	}
	return ""
}

// saneRequestID reports whether a client's request id can be kept: short, and made of
// characters that need no quoting in a log line or a header.
func saneRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '@':
		default:
			return false
		}
	}
	return true
}

// NewRequestID returns a new request id: 128 random bits as 32 hex digits.
func NewRequestID() string {
	var b [32]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	const digits = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b[i], b[16+i] = digits[hi&15], digits[lo&15]
		hi, lo = hi>>4, lo>>4
	}
	return string(b[:])
}

// requestIDHandler adds the request id of the call a record is logged for (its
// context's) to the record, as request_id.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// HTTPRequestID gives every HTTP request a request id as the gRPC calls have: the
// request's X-Request-Id when sane, else a new one, set on the request (so that a call
// the request is translated into, as vanguard translates the JSON API, gets the same
// id from its metadata) and on the response.
func HTTPRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) || len(r.Header.Values(RequestIDHeader)) > 1 {
			id = NewRequestID()
			r.Header.Set(RequestIDHeader, id)
		}
		next.ServeHTTP(&idWriter{ResponseWriter: w, id: id}, r)
	})
}

// idWriter sets the response header X-Request-Id, once, when the header is written:
// a translated gRPC call adds the same id from its response metadata, which Set
// replaces rather than repeats.
type idWriter struct {
	http.ResponseWriter
	id    string
	wrote bool
}

func (w *idWriter) setID() {
	if !w.wrote {
		w.wrote = true
		w.Header().Set(RequestIDHeader, w.id)
	}
}

func (w *idWriter) WriteHeader(code int) {
	w.setID()
	w.ResponseWriter.WriteHeader(code)
}

func (w *idWriter) Write(p []byte) (int, error) {
	w.setID()
	return w.ResponseWriter.Write(p)
}

// Flush lets streamed answers through.
func (w *idWriter) Flush() {
	w.setID()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *idWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
