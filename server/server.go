package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// Server implements newsgraph.v1.NewsGraphService over a graph.Store. It is safe for
// concurrent use.
type Server struct {
	pb.UnimplementedNewsGraphServiceServer

	store graph.Store
	pipe  *loader.Pipeline
	cfg   Config
	log   *slog.Logger
	loads chan struct{} // semaphore: one token per running LoadArticles call
	// cut is closed when a shutdown cuts the calls still running: the loads, which
	// outlive their streams, stop then.
	cut     chan struct{}
	cutOnce sync.Once
}

// New returns a Server answering from store and loading articles through a pipeline of
// extractor x writing into store. cfg must pass Validate. The store stays the caller's
// to close, after the server stopped.
func New(store graph.Store, x loader.Extractor, cfg Config) (*Server, error) {
	if store == nil {
		return nil, errors.New("server: store is nil")
	}
	if x == nil {
		return nil, errors.New("server: extractor is nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.PrivatePaths = privatePaths(cfg.PrivatePaths)
	log := slog.New(slog.DiscardHandler)
	if cfg.Logger != nil {
		log = slog.New(requestIDHandler{cfg.Logger.Handler()})
	}
	// No logger for the pipeline: the one failure it logs (a batch the store refused)
	// comes back as the articles' results, which LoadArticles logs, once, at the edge.
	pipe, err := loader.New(store, x, loader.Config{
		Workers:       cfg.LoadWorkers,
		BatchArticles: cfg.LoadBatch,
		Observer:      cfg.LoadObserver,
	})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return &Server{
		store: store,
		pipe:  pipe,
		cfg:   cfg,
		log:   log,
		loads: make(chan struct{}, cfg.MaxConcurrentLoads),
		cut:   make(chan struct{}),
	}, nil
}

// Register adds the newsgraph service to gs. Give gs the ServerOptions for the same
// limits and interceptors Serve uses.
func (s *Server) Register(gs *grpc.Server) {
	pb.RegisterNewsGraphServiceServer(gs, s)
}

// ServerOptions returns the options Serve gives its grpc.Server: TLS credentials when
// configured, the message size and stream limits, the interceptors (Config's first,
// then call log with request ids, token check, deadlines, panic recovery) and
// Config.GRPCOptions.
func (s *Server) ServerOptions() []grpc.ServerOption {
	recoverOpt := recovery.WithRecoveryHandlerContext(func(ctx context.Context, p any) error {
		s.log.ErrorContext(ctx, "panic in handler", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return status.Error(codes.Internal, internalMessage)
	})
	// The call log comes before the token check so that refused calls are logged too.
	unary := append(slices.Clip(s.cfg.UnaryInterceptors), s.unaryCallLog)
	stream := append(slices.Clip(s.cfg.StreamInterceptors), s.streamCallLog)
	if ua, sa := s.authInterceptors(); ua != nil {
		unary, stream = append(unary, ua), append(stream, sa)
	}
	unary = append(unary, s.callDeadline, recovery.UnaryServerInterceptor(recoverOpt))
	stream = append(stream, s.streamDeadline, recovery.StreamServerInterceptor(recoverOpt))
	opts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(s.cfg.MaxRecvMsgBytes),
		grpc.MaxSendMsgSize(s.cfg.MaxSendMsgBytes),
		grpc.MaxConcurrentStreams(s.cfg.MaxConcurrentStreams),
		grpc.MaxHeaderListSize(s.cfg.MaxHeaderBytes),
		// Calls run on a pool of goroutines that keep their grown stacks: with a goroutine
		// per call, growing stacks took about a tenth of the server's CPU under ghz with 50
		// callers of ListRelations (CPU profile; throughput on the shared machine moved
		// less than its noise). Calls beyond the pool still get goroutines of their own.
		grpc.NumStreamWorkers(uint32(max(streamWorkers, runtime.GOMAXPROCS(0)))),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
	}
	if s.cfg.TLS != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(s.cfg.TLS)))
	}
	return append(opts, s.cfg.GRPCOptions...)
}

// streamWorkers is the size of the pool of goroutines that run calls: idle ones cost
// their stacks only.
const streamWorkers = 128

// callDeadline gives unary calls without a deadline Config.DefaultTimeout and shortens
// later deadlines to Config.MaxCallTimeout.
func (s *Server) callDeadline(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	limit := s.cfg.MaxCallTimeout
	if _, ok := ctx.Deadline(); !ok {
		limit = s.cfg.DefaultTimeout
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > limit {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	return next(ctx, req)
}

// streamDeadline shortens the deadline of newsgraph.v1's server-streaming calls to
// Config.MaxStreamTimeout (client-streaming LoadArticles has its own timeouts).
func (s *Server) streamDeadline(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	limit := s.cfg.MaxStreamTimeout
	if limit <= 0 || info.IsClientStream || !strings.HasPrefix(info.FullMethod, servicePrefix) {
		return next(srv, ss)
	}
	ctx := ss.Context()
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= limit {
		return next(srv, ss)
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return next(srv, &notedStream{ServerStream: ss, ctx: ctx})
}

// NewGRPCServer returns a grpc.Server with ServerOptions (and opts after them) serving
// the newsgraph service, the health service and, when Config.Reflection, server
// reflection, and the health server, whose status is SERVING for "" and for
// newsgraph.v1.NewsGraphService.
func (s *Server) NewGRPCServer(opts ...grpc.ServerOption) (*grpc.Server, *health.Server) {
	gs := grpc.NewServer(append(s.ServerOptions(), opts...)...)
	s.Register(gs)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus(pb.NewsGraphService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(gs, hs)
	if s.cfg.Reflection {
		reflection.Register(gs)
	}
	return gs, hs
}

// Serve serves on lis until ctx is done, then shuts down gracefully: health turns
// NOT_SERVING, no new calls are accepted, and calls in flight get up to
// Config.ShutdownTimeout to finish before they are cut. Serve returns only after the
// shutdown completed; it closes lis. It returns nil after a shutdown asked by ctx, or
// the error that stopped serving.
func (s *Server) Serve(ctx context.Context, lis net.Listener) error {
	gs, hs := s.NewGRPCServer()
	served := make(chan error, 1)
	go func() { served <- gs.Serve(lis) }()
	select {
	case err := <-served:
		gs.Stop()
		return fmt.Errorf("serve %s: %w", lis.Addr(), err)
	case <-ctx.Done():
	}
	hs.Shutdown()
	s.stopGRPC(gs, time.Now().Add(s.cfg.ShutdownTimeout))
	if err := <-served; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("serve %s: %w", lis.Addr(), err)
	}
	return nil
}

// stopGRPC stops gs gracefully, and cuts the calls still running at deadline.
func (s *Server) stopGRPC(gs *grpc.Server, deadline time.Time) {
	stopped := make(chan struct{})
	go func() {
		gs.GracefulStop() // Serve returns as soon as this starts: wait for it to end.
		close(stopped)
	}()
	timer := time.NewTimer(max(time.Until(deadline), 0))
	defer timer.Stop()
	select {
	case <-stopped:
	case <-timer.C:
		s.log.Warn("calls still running after the shutdown timeout: cutting them", "timeout", s.cfg.ShutdownTimeout)
		s.cutOnce.Do(func() { close(s.cut) })
		gs.Stop()
		<-stopped
	}
}
