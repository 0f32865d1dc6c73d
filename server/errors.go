package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// errorDomain is the domain of the google.rpc.ErrorInfo details this service sends.
const errorDomain = "newsgraph.v1"

// internalMessage is all a client learns about an internal error.
const internalMessage = "internal error"

// fieldError is a request validation failure: the field (a path such as
// "entity.name" or "predicates[2]") and a message naming the field, the value and what
// was expected.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.msg }

// invalid returns a fieldError whose message is "field: " followed by the formatted text.
func invalid(field, format string, args ...any) error {
	return &fieldError{field: field, msg: field + ": " + fmt.Sprintf(format, args...)}
}

// toStatus maps an error to the gRPC status a client sees. It is the one place where
// errors become codes. internal is true for errors that are not the client's doing and
// that no domain error explains: their text stays on the server (the status says only
// "internal error").
func toStatus(err error) (st *status.Status, internal bool) {
	var fe *fieldError
	switch {
	case err == nil:
		return status.New(codes.OK, ""), false
	case errors.As(err, &fe):
		st := status.New(codes.InvalidArgument, fe.msg)
		return withDetails(st, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: fe.field, Description: fe.msg},
		}}), false
	case isStatus(err):
		st, _ := status.FromError(err)
		return st, false
	case errors.Is(err, graph.ErrNotFound):
		return status.New(codes.NotFound, err.Error()), false
	case errors.Is(err, graph.ErrInvalidArgument), errors.Is(err, doc.ErrInvalid):
		return status.New(codes.InvalidArgument, err.Error()), false
	case errors.Is(err, graph.ErrLimit):
		st := status.New(codes.ResourceExhausted, err.Error())
		return withDetails(st, &errdetails.ErrorInfo{Reason: "QUERY_LIMIT_EXCEEDED", Domain: errorDomain}), false
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "deadline exceeded before the call finished"), false
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "call cancelled"), false
	}
	return status.New(codes.Internal, internalMessage), true
}

// rejectionReason is the reason a client sees for a rejected article. The article's
// own faults (invalid, refused by the store as invalid) are told as they are; any other
// failure (the store failed, extraction panicked) is internal: the client learns only
// that the article was not stored, and the caller logs r.Err.
func rejectionReason(r loader.Result) (reason string, internal bool) {
	if errors.Is(r.Err, doc.ErrInvalid) || errors.Is(r.Err, graph.ErrInvalidArgument) {
		return r.Err.Error(), false
	}
	where := r.Origin
	if where == "" {
		where = r.ID
	}
	return where + ": not stored: " + internalMessage + " (the article can be sent again)", true
}

// isStatus reports whether err carries a gRPC status other than Unknown (a status made
// by this package or by gRPC itself, such as a stream's Recv error).
func isStatus(err error) bool {
	st, ok := status.FromError(err)
	return ok && st.Code() != codes.Unknown && st.Code() != codes.OK
}

// withDetails adds details to st; st is returned as it is if they cannot be added.
func withDetails(st *status.Status, details ...protoadapt.MessageV1) *status.Status {
	if d, err := st.WithDetails(details...); err == nil {
		return d
	}
	return st
}

// edge turns the error a handler returns into its status, at the edge of the service.
// An internal error's text is logged here, once: added to the call's log line when the
// call log (unaryCallLog, streamCallLog) is installed, logged on its own otherwise.
func (s *Server) edge(ctx context.Context, method string, errp *error) {
	err := *errp
	if err == nil {
		return
	}
	st, internal := toStatus(err)
	if internal && ctx.Err() != nil {
		// The store failed because the call was cancelled or timed out.
		st, internal = toStatus(ctx.Err())
	}
	if internal {
		if !noteCause(ctx, err.Error()) {
			s.log.ErrorContext(ctx, "internal error", slog.String("method", method), slog.Any("err", err))
		}
	}
	if msg := redactPaths(st.Message(), s.cfg.PrivatePaths); msg != st.Message() {
		p := st.Proto()
		p.Message = msg
		st = status.FromProto(p)
	}
	*errp = st.Err()
}

// redactedPath replaces a server path in a client's message.
const redactedPath = "<server path>"

// privatePaths returns the paths redactPaths replaces: those of paths at least 2
// characters long ("/" and "." are never replaced), longest first, so that a file
// inside a folder of the list goes whole.
func privatePaths(paths []string) []string {
	ps := slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return len(p) < 2 })
	slices.SortFunc(ps, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(ps)
}

// redactPaths replaces every path of paths (as privatePaths returns them) in msg with
// redactedPath.
func redactPaths(msg string, paths []string) string {
	if len(paths) == 0 || msg == "" {
		return msg
	}
	for _, p := range paths {
		if strings.Contains(msg, p) {
			msg = strings.ReplaceAll(msg, p, redactedPath)
		}
	}
	return msg
}
