package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/server/metrics"
	"github.com/newsgraph/newsgraph/server/tracing"
)

// serve's observability: Prometheus metrics on the --http port's /metrics (on unless
// --metrics=false; they need --http), and OpenTelemetry tracing with --trace (off by
// default). Request ids need no flag: every call has one (server.RequestIDHeader).

// observeFlags are serve's metrics and tracing flags.
type observeFlags struct {
	metrics      bool    // --metrics
	trace        string  // --trace: "", stdout or otlp
	otlpEndpoint string  // --otlp-endpoint
	traceSample  float64 // --trace-sample
}

func (f *observeFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.metrics, "metrics", true, "with --http, serve Prometheus metrics at /metrics of the --http address (--metrics=false not to); with --auth-tokens they need a read token")
	fs.StringVar(&f.trace, "trace", "", "trace every call with OpenTelemetry: stdout (spans as JSON lines on standard output) or otlp (OTLP/gRPC to --otlp-endpoint); default off")
	fs.StringVar(&f.otlpEndpoint, "otlp-endpoint", "127.0.0.1:4317", "with --trace otlp, the collector's host:port (plaintext to a loopback address, TLS elsewhere)")
	fs.Float64Var(&f.traceSample, "trace-sample", 1, "with --trace, the fraction of calls traced (0 to 1) when the client's traceparent does not decide")
}

// check reports a flag error.
func (f observeFlags) check() error {
	switch f.trace {
	case "", "stdout", "otlp":
	default:
		return fmt.Errorf("--trace: %q, want stdout or otlp", f.trace)
	}
	if f.traceSample < 0 || f.traceSample > 1 {
		return fmt.Errorf("--trace-sample: %v, want 0 to 1", f.traceSample)
	}
	return nil
}

// observability is what serve's observeFlags set up.
type observability struct {
	metrics *metrics.Metrics // nil: no metrics
	tracing *tracing.Tracing // nil: no tracing
	tokens  *server.Tokens   // guard /metrics
}

// setupObservability configures cfg's interceptors, load observer and stats handler
// as f asks: metrics when withHTTP (they are served there), tracing to stdout when
// --trace. Call close when serving ended.
func setupObservability(ctx context.Context, log *slog.Logger, f observeFlags, withHTTP bool, stdout io.Writer, cfg *server.Config) (*observability, error) {
	o := &observability{tokens: cfg.Tokens}
	if f.metrics && withHTTP {
		m, err := metrics.New(prometheus.NewRegistry())
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		m.Configure(cfg)
		o.metrics = m
	}
	if f.trace != "" {
		t, err := tracing.Open(ctx, f.trace, f.otlpEndpoint, f.traceSample, stdout)
		if err != nil {
			return nil, fmt.Errorf("--trace: %w", err)
		}
		t.Configure(cfg)
		o.tracing = t
		log.Info("tracing calls", "to", f.trace, "sample", f.traceSample)
	}
	return o, nil
}

// loadObserver is the observer of serve --load's pipeline (nil without metrics).
func (o *observability) loadObserver() loader.Observer {
	if o.metrics == nil {
		return nil
	}
	return o.metrics
}

// observeStore adds the store's gauges to the metrics.
func (o *observability) observeStore(s graph.Store) error {
	if o.metrics == nil {
		return nil
	}
	return o.metrics.ObserveStore(s)
}

// httpRoutes returns what the --http server over gs adds for observability: the
// /metrics route (behind the token check when the server checks tokens; none without
// metrics) and the request-id middleware; it creates gs's call series at zero.
func (o *observability) httpRoutes(gs *grpc.Server) (routes map[string]http.Handler, middleware []func(http.Handler) http.Handler) {
	middleware = []func(http.Handler) http.Handler{server.HTTPRequestID}
	if o.metrics == nil {
		return nil, middleware
	}
	o.metrics.InitializeMetrics(gs)
	return map[string]http.Handler{"/metrics": server.RequireTokenHTTP(o.tokens, server.ScopeRead, o.metrics.Handler())}, middleware
}

// close flushes the spans still batched.
func (o *observability) close(log *slog.Logger) {
	if o.tracing == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.tracing.Shutdown(ctx); err != nil {
		log.Warn("tracing: spans not exported", "err", err)
	}
}
