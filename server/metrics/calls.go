package metrics

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// callMetrics are the per-RPC series, with the names, help, labels and values of
// go-grpc-middleware's Prometheus provider (grpc_server_started_total and the rest,
// labels grpc_type, grpc_service, grpc_method and grpc_code), reported through the
// same middleware (go-grpc-middleware/v2/interceptors drives the calls and their
// streams). What differs is the reporter: the provider resolves five labelled series
// per call (hashing the label values, a map look-up under a lock each), about 1.9 µs
// of the 40 µs a ListRelations call costs the server (CPU profile of BenchmarkCall),
// a cost the "within 5% of the calls/s" could not bear. Here each method's
// series are resolved once, the first time it is called or by InitializeMetrics, and
// a call only adds to counters.
type callMetrics struct {
	started, handled, received, sent *prometheus.CounterVec
	handling                         *prometheus.HistogramVec

	// methods maps a method to its series; calls read it without a lock, a method's
	// first call replaces it with a copy that has the method (under mu).
	methods atomic.Pointer[map[methodKey]*methodSeries]
	mu      sync.Mutex
}

// methodKey names a method as interceptors.CallMeta does.
type methodKey struct{ service, method string }

func newCallMetrics(buckets []float64) *callMetrics {
	labels := []string{"grpc_type", "grpc_service", "grpc_method"}
	c := &callMetrics{
		started: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_started_total",
			Help: "Total number of RPCs started on the server.",
		}, labels),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_handled_total",
			Help: "Total number of RPCs completed on the server, regardless of success or failure.",
		}, append(labels, "grpc_code")),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_msg_received_total",
			Help: "Total number of RPC stream messages received on the server.",
		}, labels),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_msg_sent_total",
			Help: "Total number of gRPC stream messages sent by the server.",
		}, labels),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "grpc_server_handling_seconds",
			Help:    "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
			Buckets: buckets,
		}, labels),
	}
	c.methods.Store(&map[methodKey]*methodSeries{})
	return c
}

// collectors are the series' vectors, to register.
func (c *callMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.started, c.handled, c.received, c.sent, c.handling}
}

// methodSeries are one method's series; it is the interceptors.Reporter of its calls
// (it keeps no per-call state: the middleware passes the durations).
type methodSeries struct {
	started, received, sent prometheus.Counter
	handling                prometheus.Observer
	handled                 [codes.Unauthenticated + 1]prometheus.Counter
}

// series returns the series of a method of type typ, creating them (every code's at
// zero) the first time.
func (c *callMetrics) series(typ interceptors.GRPCType, service, method string) *methodSeries {
	key := methodKey{service, method}
	if s := (*c.methods.Load())[key]; s != nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.methods.Load()
	if s := old[key]; s != nil {
		return s
	}
	l := []string{string(typ), service, method}
	s := &methodSeries{
		started:  c.started.WithLabelValues(l...),
		received: c.received.WithLabelValues(l...),
		sent:     c.sent.WithLabelValues(l...),
		handling: c.handling.WithLabelValues(l...),
	}
	for code := range s.handled {
		s.handled[code] = c.handled.WithLabelValues(string(typ), service, method, codes.Code(code).String())
	}
	m := make(map[methodKey]*methodSeries, len(old)+1)
	maps.Copy(m, old)
	m[key] = s
	c.methods.Store(&m)
	return s
}

// ServerReporter counts a call started and returns its method's series as its
// reporter: it implements interceptors.ServerReportable.
func (c *callMetrics) ServerReporter(ctx context.Context, meta interceptors.CallMeta) (interceptors.Reporter, context.Context) {
	s := c.series(meta.Typ, meta.Service, meta.Method)
	s.started.Inc()
	return s, ctx
}

// ClientReporter is not used (newsgraph counts its server's calls): it implements
// interceptors.ClientReportable.
func (c *callMetrics) ClientReporter(ctx context.Context, _ interceptors.CallMeta) (interceptors.Reporter, context.Context) {
	return interceptors.NoopReporter{}, ctx
}

// PostCall counts the call handled with its code and observes its duration.
func (s *methodSeries) PostCall(err error, d time.Duration) {
	code := codes.OK
	if err != nil {
		st, ok := status.FromError(err)
		if !ok { // as the gRPC server itself does
			st = status.FromContextError(err)
		}
		code = st.Code()
	}
	if int(code) < len(s.handled) {
		s.handled[code].Inc()
	}
	s.handling.Observe(d.Seconds())
}

// PostMsgSend counts a message sent.
func (s *methodSeries) PostMsgSend(_ any, err error, _ time.Duration) {
	if err == nil {
		s.sent.Inc()
	}
}

// PostMsgReceive counts a message received.
func (s *methodSeries) PostMsgReceive(_ any, err error, _ time.Duration) {
	if err == nil {
		s.received.Inc()
	}
}

// initialize creates the series of every method gs serves.
func (c *callMetrics) initialize(gs *grpc.Server) {
	for service, info := range gs.GetServiceInfo() {
		for _, m := range info.Methods {
			typ := interceptors.Unary
			switch {
			case m.IsClientStream && m.IsServerStream:
				typ = interceptors.BidiStream
			case m.IsClientStream:
				typ = interceptors.ClientStream
			case m.IsServerStream:
				typ = interceptors.ServerStream
			}
			c.series(typ, service, m.Name)
		}
	}
}
