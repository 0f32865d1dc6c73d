package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"google.golang.org/grpc"
)

// HTTPHandlerFunc builds the handler of the HTTP server that ServeWithHTTP runs beside
// the gRPC one, from the grpc.Server that serves the gRPC listener: a handler that
// hands calls to gs (a Connect or JSON transcoder over gs.ServeHTTP) runs them through
// the same handlers and the same interceptors (call log, tokens, deadlines, panic
// recovery) as gRPC clients.
type HTTPHandlerFunc func(gs *grpc.Server) (http.Handler, error)

// httpReadHeaderTimeout bounds how long a client may take to send a request's headers;
// httpIdleTimeout how long a kept-alive connection may wait for its next request.
const (
	httpReadHeaderTimeout = 10 * time.Second
	httpIdleTimeout       = 2 * time.Minute
)

// ServeWithHTTP is Serve with an HTTP server on httpLis beside the gRPC server on lis,
// whose handler newHandler builds from the grpc.Server. With Config.TLS the HTTP
// server serves TLS with the same certificates (and client CAs). When ctx is done both
// shut down within Config.ShutdownTimeout: first the HTTP server stops accepting and
// lets its requests in flight finish (the calls it handed to gRPC among them), then
// the gRPC server stops gracefully; whatever still runs at the timeout is cut. It
// closes both listeners. A nil httpLis is Serve.
func (s *Server) ServeWithHTTP(ctx context.Context, lis, httpLis net.Listener, newHandler HTTPHandlerFunc) error {
	if httpLis == nil {
		return s.Serve(ctx, lis)
	}
	gs, hs := s.NewGRPCServer()
	h, err := newHandler(gs)
	if err != nil {
		lis.Close()
		httpLis.Close()
		return fmt.Errorf("http handler: %w", err)
	}
	hsrv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: httpReadHeaderTimeout,
		IdleTimeout:       httpIdleTimeout,
		MaxHeaderBytes:    int(s.cfg.MaxHeaderBytes),
		ErrorLog:          slog.NewLogLogger(s.log.With("component", "http").Handler(), slog.LevelDebug),
	}
	if s.cfg.TLS != nil {
		hsrv.TLSConfig = s.cfg.TLS.Clone()
		hsrv.TLSConfig.NextProtos = []string{"h2", "http/1.1"}
	}
	served := make(chan error, 1)
	httpServed := make(chan error, 1)
	go func() { served <- gs.Serve(lis) }()
	go func() {
		if hsrv.TLSConfig != nil {
			httpServed <- hsrv.ServeTLS(httpLis, "", "")
		} else {
			httpServed <- hsrv.Serve(httpLis)
		}
	}()
	var failed error
	select {
	case err := <-served:
		failed = fmt.Errorf("serve %s: %w", lis.Addr(), err)
	case err := <-httpServed:
		failed = fmt.Errorf("serve http %s: %w", httpLis.Addr(), err)
	case <-ctx.Done():
	}
	if failed != nil {
		hsrv.Close()
		gs.Stop()
		return failed
	}
	hs.Shutdown()
	deadline := time.Now().Add(s.cfg.ShutdownTimeout)
	// HTTP first: gRPC's graceful stop closes the transports of the calls HTTP handed
	// it (gs.ServeHTTP), so it waits until those ended.
	sctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := hsrv.Shutdown(sctx); err != nil {
		s.log.Warn("HTTP requests still running after the shutdown timeout: cutting them", "timeout", s.cfg.ShutdownTimeout)
		hsrv.Close()
	}
	s.stopGRPC(gs, deadline)
	if err := <-httpServed; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve http %s: %w", httpLis.Addr(), err)
	}
	if err := <-served; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("serve %s: %w", lis.Addr(), err)
	}
	return nil
}
