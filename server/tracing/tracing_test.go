package tracing_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/server/tracing"
)

type noExtractor struct{}

func (noExtractor) Extract(doc.Document) (*graph.Article, error) { return &graph.Article{}, nil }

var _ loader.Extractor = noExtractor{}

// serve starts a server on a memstore with cfg and returns a client of it.
func serve(t *testing.T, cfg server.Config) pb.NewsGraphServiceClient {
	t.Helper()
	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Backend = graph.BackendMemstore
	store, err := graph.Open(context.Background(), gcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := server.New(store, noExtractor{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, lis) }()
	t.Cleanup(func() { cancel(); <-done })
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pb.NewNewsGraphServiceClient(conn)
}

// TestSpans: with tracing, every call makes a server span named after its method with
// its status code; a client's traceparent makes it a child of the client's span.
func TestSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tr := tracing.New(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	t.Cleanup(func() { tr.Shutdown(context.Background()) })
	cfg := server.DefaultConfig()
	tr.Configure(&cfg)
	c := serve(t, cfg)

	if _, err := c.GetStats(context.Background(), &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.GetEntity(context.Background(), &pb.GetEntityRequest{}) // InvalidArgument
	parent := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled,
	})
	ctx := metadata.AppendToOutgoingContext(context.Background(),
		"traceparent", "00-"+parent.TraceID().String()+"-"+parent.SpanID().String()+"-01")
	if _, err := c.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}

	// a server span ends when the stats handler sees the call end, which may be just
	// after the client has its answer
	spans := rec.Ended()
	for deadline := time.Now().Add(5 * time.Second); len(spans) < 3 && time.Now().Before(deadline); spans = rec.Ended() {
		time.Sleep(5 * time.Millisecond)
	}
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3: %v", len(spans), spans)
	}
	for i, want := range []string{"GetStats", "GetEntity", "GetStats"} {
		s := spans[i]
		if s.Name() != "newsgraph.v1.NewsGraphService/"+want || s.SpanKind() != trace.SpanKindServer {
			t.Errorf("span %d: %q kind %v, want server span newsgraph.v1.NewsGraphService/%s", i, s.Name(), s.SpanKind(), want)
		}
		attrs := map[string]string{}
		for _, a := range s.Attributes() {
			attrs[string(a.Key)] = a.Value.Emit()
		}
		if attrs["rpc.method"] != want && attrs["rpc.method"] != "newsgraph.v1.NewsGraphService/"+want {
			t.Errorf("span %d attributes %v: rpc.method is not %s", i, attrs, want)
		}
	}
	// A client's mistake is no server error (the span's status stays unset); the code
	// is an attribute.
	code := ""
	for _, a := range spans[1].Attributes() {
		if a.Key == "rpc.response.status_code" || a.Key == "rpc.grpc.status_code" {
			code = a.Value.Emit()
		}
	}
	if code != "INVALID_ARGUMENT" && code != "3" {
		t.Errorf("GetEntity's span attributes %v: want status code INVALID_ARGUMENT", spans[1].Attributes())
	}
	if got := spans[2].Parent(); got.TraceID() != parent.TraceID() || got.SpanID() != parent.SpanID() || !got.IsRemote() {
		t.Errorf("span with a traceparent: parent %v, want the client's %v", got, parent)
	}
	if spans[0].Parent().IsValid() {
		t.Errorf("span without a traceparent has a parent %v", spans[0].Parent())
	}
}

// TestStdout: Open("stdout") writes the spans as JSON once shut down.
func TestStdout(t *testing.T) {
	var buf bytes.Buffer
	tr, err := tracing.Open(context.Background(), "stdout", "", 1, &buf)
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	tr.Configure(&cfg)
	c := serve(t, cfg)
	if _, err := c.GetStats(context.Background(), &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `"Name":"newsgraph.v1.NewsGraphService/GetStats"`) || !strings.Contains(out, `"newsgraph"`) {
		t.Errorf("stdout exporter wrote:\n%s", out)
	}
}

// TestOpenRefuses: unknown modes, bad endpoints and sample ratios fail.
func TestOpenRefuses(t *testing.T) {
	for _, tt := range []struct {
		mode, endpoint string
		sample         float64
	}{{"jaeger", "", 1}, {"otlp", "no-port", 1}, {"stdout", "", 1.5}, {"stdout", "", -0.1}} {
		if _, err := tracing.Open(context.Background(), tt.mode, tt.endpoint, tt.sample, &bytes.Buffer{}); err == nil {
			t.Errorf("Open(%q, %q, %v) succeeded", tt.mode, tt.endpoint, tt.sample)
		}
	}
}
