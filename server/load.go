package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// LoadQueuedHeader is the response header a LoadArticles call receives at once when
// every load slot (Config.MaxConcurrentLoads) is busy; its value is the number of
// slots. The call waits for a slot, then runs. A call that gets a slot at once
// receives its (empty) header before the server reads its first article, so a client
// can tell the two apart without waiting for the answer.
const LoadQueuedHeader = "newsgraph-load-queued"

// errLoadIdle ends a LoadArticles call whose client sent nothing for
// Config.LoadIdleTimeout; errLoadTimeout one that ran past Config.LoadTimeout.
var (
	errLoadIdle    = errors.New("load idle timeout")
	errLoadTimeout = errors.New("load timeout")
)

// LoadArticles implements NewsGraphService.LoadArticles: it runs the stream through the
// loader pipeline (parallel extraction, batched commits) and answers with one result
// per article, in stream order, once the stream ended and every article's fate is
// sealed. At most Config.MaxConcurrentLoads calls run at once; later ones are told
// they are queued (LoadQueuedHeader) and wait. A running call ends with
// DEADLINE_EXCEEDED when its client sends nothing for Config.LoadIdleTimeout or when
// it runs past Config.LoadTimeout; the articles it received before are committed.
func (s *Server) LoadArticles(stream grpc.ClientStreamingServer[pb.LoadArticlesRequest, pb.LoadArticlesResponse]) (err error) {
	ctx := stream.Context()
	defer s.edge(ctx, "LoadArticles", &err)

	if err := s.loadSlot(ctx, stream); err != nil {
		return err
	}
	defer func() { <-s.loads }()
	// The load outlives a reset of its stream (a message over the size limit, a client
	// that went away): the articles received before are committed, as the README
	// promises, and only a shutdown that cuts the calls stops it. Its results then
	// reach no one; sending the articles again is safe (same text: UNCHANGED).
	ctx, stopLoad := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLoad()
	go func(done <-chan struct{}) {
		select {
		case <-s.cut:
			stopLoad()
		case <-done:
		}
	}(ctx.Done())
	if s.cfg.LoadTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, s.cfg.LoadTimeout, errLoadTimeout)
		defer cancel()
	}

	// Recv runs in a goroutine of its own so that the source can stop waiting for an
	// idle client; it ends with the stream (at the latest when the handler returned
	// and gRPC cancelled the stream).
	msgs := make(chan loadMsg)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			req, err := stream.Recv()
			select {
			case msgs <- loadMsg{req, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	idle := s.cfg.LoadIdleTimeout
	src := func(ctx context.Context, yield func(doc.Item) error) error {
		var timer *time.Timer
		if idle > 0 {
			timer = time.NewTimer(idle)
			defer timer.Stop()
		}
		for n := 0; ; n++ {
			var timeout <-chan time.Time
			if timer != nil {
				// The timer runs only while the source waits for the client: time spent
				// handing articles to a busy pipeline is not the client's idleness.
				timer.Reset(idle)
				timeout = timer.C
			}
			if err := s.loadNext(ctx, msgs, timeout, n, yield); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
		}
	}
	var results []*pb.ArticleResult
	sum, err := s.pipe.Run(ctx, src, func(r loader.Result) {
		res := resultToProto(r)
		if r.Err != nil {
			if _, internal := rejectionReason(r); internal {
				s.log.ErrorContext(ctx, "article not stored", "origin", r.Origin, "err", r.Err)
			}
		}
		res.Reason = redactPaths(res.GetReason(), s.cfg.PrivatePaths)
		results = append(results, res)
	})
	if err != nil {
		return s.loadError(ctx, err, sum)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Index < results[j].Index })
	return stream.SendAndClose(&pb.LoadArticlesResponse{Results: results, Summary: summaryToProto(sum)})
}

// loadSlot takes one of the load slots, waiting for one when all are busy; it sends
// the call's response header first (LoadQueuedHeader when it has to wait).
func (s *Server) loadSlot(ctx context.Context, stream grpc.ServerStream) error {
	select {
	case s.loads <- struct{}{}:
		_ = stream.SendHeader(metadata.MD{}) // the client learns it is not queued
		return nil
	default:
	}
	slots := cap(s.loads)
	_ = stream.SendHeader(metadata.Pairs(LoadQueuedHeader, strconv.Itoa(slots)))
	s.log.InfoContext(ctx, "LoadArticles queued: all load slots are busy", "slots", slots, "who", callerName(ctx))
	start := time.Now()
	select {
	case s.loads <- struct{}{}:
		s.log.InfoContext(ctx, "LoadArticles got a load slot", "waited", time.Since(start).Round(time.Millisecond), "who", callerName(ctx))
		return nil
	case <-ctx.Done():
		code := codes.DeadlineExceeded
		if errors.Is(ctx.Err(), context.Canceled) {
			code = codes.Canceled
		}
		return status.Errorf(code, "LoadArticles: queued for %v, all %d load slots stayed busy until the call's deadline or cancellation; nothing of the call was read",
			time.Since(start).Round(time.Millisecond), slots)
	}
}

// callerName names the caller in log lines: its token's name, else its address.
func callerName(ctx context.Context) string {
	if n := Principal(ctx); n != "" {
		return n
	}
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}

// loadNext waits for the n-th message of a LoadArticles stream (until timeout fires,
// when not nil) and yields its article; it returns io.EOF at the end of the stream.
func (s *Server) loadNext(ctx context.Context, msgs <-chan loadMsg, timeout <-chan time.Time, n int, yield func(doc.Item) error) error {
	var m loadMsg
	select {
	case m = <-msgs:
	case <-timeout:
		return errLoadIdle
	case <-ctx.Done():
		return ctx.Err()
	}
	if m.err != nil {
		return m.err
	}
	if n >= s.cfg.MaxArticlesPerLoad {
		return status.Errorf(codes.ResourceExhausted,
			"article %d: more than %d articles in one LoadArticles call; the articles before it were loaded, send the rest in another call",
			n, s.cfg.MaxArticlesPerLoad)
	}
	return yield(itemFromProto(m.req, n, s.cfg.Limits))
}

// loadMsg is what one Recv of a LoadArticles stream returned.
type loadMsg struct {
	req *pb.LoadArticlesRequest
	err error
}

// loadError is the status of a LoadArticles call the pipeline ended with err after
// sum: the server's idle and load timeouts get messages of their own that say what
// was stored.
func (s *Server) loadError(ctx context.Context, err error, sum loader.Summary) error {
	kept := sum.Stored + sum.Replaced + sum.Unchanged
	switch {
	case errors.Is(err, errLoadIdle):
		return loadTimeoutError("LOAD_IDLE_TIMEOUT", s.cfg.LoadIdleTimeout, fmt.Sprintf(
			"LoadArticles: no message from the client for %v (the server's load idle timeout): the call ended and its load slot is free; the %d articles received before were committed (%d stored, %d replaced, %d unchanged, %d rejected), send the rest in another call",
			s.cfg.LoadIdleTimeout, sum.Articles(), sum.Stored, sum.Replaced, sum.Unchanged, sum.Rejected))
	case errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(ctx), errLoadTimeout):
		return loadTimeoutError("LOAD_TIMEOUT", s.cfg.LoadTimeout, fmt.Sprintf(
			"LoadArticles ran longer than the server's load timeout (%v): %d articles were stored, replaced or unchanged before; send fewer articles per call",
			s.cfg.LoadTimeout, kept))
	}
	return err
}

// loadTimeoutError is DEADLINE_EXCEEDED with a google.rpc.ErrorInfo of reason
// (LOAD_IDLE_TIMEOUT, LOAD_TIMEOUT) naming the server's timeout.
func loadTimeoutError(reason string, d time.Duration, msg string) error {
	return withDetails(status.New(codes.DeadlineExceeded, msg),
		&errdetails.ErrorInfo{Reason: reason, Domain: errorDomain, Metadata: map[string]string{"timeout": d.String()}}).Err()
}
