// Package tracing is newsgraph serve's OpenTelemetry tracing: one server span per
// gRPC call (otelgrpc's stats handler), named after the method
// ("newsgraph.v1.NewsGraphService/ListRelations") with its code, exported to standard
// output as JSON lines or over OTLP/gRPC. A W3C traceparent in the call's metadata
// makes the span a child of the client's. It is off unless serve --trace asks for it,
// and then a server without it has no stats handler at all: nothing is paid when off.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"google.golang.org/grpc"

	"github.com/newsgraph/newsgraph/server"
)

// ServiceName is the service.name of the spans' resource.
const ServiceName = "newsgraph"

// Tracing traces a server's calls through one tracer provider.
type Tracing struct {
	tp *sdktrace.TracerProvider
}

// New traces with tp, which Shutdown shuts down.
func New(tp *sdktrace.TracerProvider) *Tracing { return &Tracing{tp: tp} }

// Open returns the tracing serve --trace asks for: mode "stdout" writes spans to w as
// JSON lines, "otlp" sends them over OTLP/gRPC to endpoint (host:port; plaintext to a
// loopback address, TLS elsewhere). sample is the fraction of calls traced (0 to 1),
// unless the client's traceparent decided. Spans are batched; Shutdown flushes them.
func Open(ctx context.Context, mode, endpoint string, sample float64, w io.Writer) (*Tracing, error) {
	if sample < 0 || sample > 1 {
		return nil, fmt.Errorf("trace sample %v: want 0 to 1", sample)
	}
	var exp sdktrace.SpanExporter
	var err error
	switch mode {
	case "stdout":
		exp, err = stdouttrace.New(stdouttrace.WithWriter(w))
	case "otlp":
		if _, _, serr := net.SplitHostPort(endpoint); serr != nil {
			return nil, fmt.Errorf("otlp endpoint %q: want host:port: %w", endpoint, serr)
		}
		opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(endpoint)}
		if loopbackHost(endpoint) {
			opts = append(opts, otlptracegrpc.WithInsecure())
		}
		exp, err = otlptracegrpc.New(ctx, opts...)
	default:
		return nil, fmt.Errorf("trace mode %q: want stdout or otlp", mode)
	}
	if err != nil {
		return nil, fmt.Errorf("trace exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(ServiceName)))
	if err != nil {
		res = resource.Default()
	}
	return New(sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(sample))),
	)), nil
}

// loopbackHost reports whether host:port names a loopback address (or localhost).
func loopbackHost(hostport string) bool {
	host, _, _ := net.SplitHostPort(hostport)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ServerOption is the grpc.Server option that traces every call: otelgrpc's stats
// handler with the tracer provider, W3C trace context and baggage propagation, and no
// metrics (Prometheus has them, see server/metrics).
func (t *Tracing) ServerOption() grpc.ServerOption {
	return grpc.StatsHandler(otelgrpc.NewServerHandler(
		otelgrpc.WithTracerProvider(t.tp),
		otelgrpc.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelgrpc.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
	))
}

// Configure adds ServerOption to cfg.
func (t *Tracing) Configure(cfg *server.Config) {
	cfg.GRPCOptions = append(cfg.GRPCOptions, t.ServerOption())
}

// Shutdown exports the spans still batched and stops the provider.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if err := t.tp.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("tracing shutdown: %w", err)
	}
	return nil
}
