package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
	"github.com/newsgraph/newsgraph/server/metrics"
)

const exampleArticle = "../../examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt"

// env is a server with metrics on a real bolt store, a gRPC client and the URL of
// /metrics.
type env struct {
	client     pb.NewsGraphServiceClient
	metricsURL string
	store      *graph.CayleyStore
}

func start(t testing.TB) *env { return startServer(t, true) }

// startServer is start with or without the metrics (then metricsURL is empty).
func startServer(t testing.TB, withMetrics bool) *env {
	t.Helper()
	ctx := context.Background()
	cfg := server.DefaultConfig()
	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Path, gcfg.NoSync = t.TempDir(), true
	store, err := graph.Open(ctx, gcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	x, err := extract.New(extract.Config{})
	if err != nil {
		t.Fatal(err)
	}

	var m *metrics.Metrics
	if withMetrics {
		if m, err = metrics.New(prometheus.NewRegistry()); err != nil {
			t.Fatal(err)
		}
		if err := m.ObserveStore(store); err != nil {
			t.Fatal(err)
		}
		m.Configure(&cfg)
	}
	cfg.Logger = slog.New(slog.DiscardHandler)
	srv, err := server.New(store, x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	gs, _ := srv.NewGRPCServer()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go gs.Serve(lis)
	t.Cleanup(gs.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	e := &env{client: pb.NewNewsGraphServiceClient(conn), store: store}
	if m == nil {
		return e
	}

	m.InitializeMetrics(gs)
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(hl)
	t.Cleanup(func() { hs.Close() })
	e.metricsURL = "http://" + hl.Addr().String() + "/metrics"
	return e
}

// scrape GETs /metrics and parses it.
func (e *env) scrape(t testing.TB) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(e.metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %s, Content-Type %q:\n%s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	problems, err := promlint.New(strings.NewReader(string(body))).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "newsgraph_") {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
	return fams
}

// value returns the value of the series of family name whose labels include want;
// ok is false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (v float64, ok bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, w := range want {
			if labels[k] != w {
				continue next
			}
		}
		switch {
		case m.GetCounter() != nil:
			return m.GetCounter().GetValue(), true
		case m.GetGauge() != nil:
			return m.GetGauge().GetValue(), true
		case m.GetHistogram() != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.GetUntyped() != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

func article(t testing.TB) *pb.LoadArticlesRequest {
	t.Helper()
	data, err := os.ReadFile(exampleArticle)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.ParseText(filepath.Base(exampleArticle), data)
	return &pb.LoadArticlesRequest{Id: d.ID, Url: d.URL, Title: d.Title, Source: "example",
		Published: d.Published.Format(time.RFC3339), Text: []byte(d.Text)}
}

// TestMetricsScraped: calls, a load of the example article and the store show in
// /metrics scraped over HTTP, with the values the calls' answers give.
func TestMetricsScraped(t *testing.T) {
	e := start(t)
	ctx := context.Background()

	before := e.scrape(t)
	if v, ok := value(before, "grpc_server_handled_total", map[string]string{"grpc_method": "ListRelations", "grpc_code": "OK"}); !ok || v != 0 {
		t.Errorf("before any call: ListRelations OK = %v (present %v), want 0 (initialized)", v, ok)
	}
	if v, ok := value(before, "newsgraph_store_articles", nil); !ok || v != 0 {
		t.Errorf("newsgraph_store_articles before loading = %v, %v; want 0", v, ok)
	}

	stream, err := e.client.LoadArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(article(t)); err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&pb.LoadArticlesRequest{Id: "empty"}); err != nil { // no text: rejected
		t.Fatal(err)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	sum := resp.GetSummary()
	if sum.GetStored() != 1 || sum.GetRejected() != 1 || sum.GetQuadsAdded() == 0 {
		t.Fatalf("load summary %v, want 1 stored, 1 rejected", sum)
	}
	for range 2 {
		if _, err := e.client.ListRelations(ctx, &pb.ListRelationsRequest{Entity: &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "United States"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.client.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetEntity(ctx, &pb.GetEntityRequest{}) // no entity: InvalidArgument
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("GetEntity without an entity: %v, want InvalidArgument", err)
	}
	_, err = e.client.GetEntity(ctx, &pb.GetEntityRequest{Entity: &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: "ng:e/person/nobody"}}})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("GetEntity of an unknown id: %v, want NotFound", err)
	}
	st, err := e.client.GetStats(ctx, &pb.GetStatsRequest{})
	if err != nil {
		t.Fatal(err)
	}

	fams := e.scrape(t)
	rpc := func(method, code string) map[string]string {
		m := map[string]string{"grpc_service": "newsgraph.v1.NewsGraphService", "grpc_method": method}
		if code != "" {
			m["grpc_code"] = code
		}
		return m
	}
	size, _ := e.store.FileBytes()
	cs := e.store.CacheStats()
	for _, w := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"grpc_server_handled_total", rpc("ListRelations", "OK"), 2},
		{"grpc_server_handled_total", rpc("GetStats", "OK"), 2},
		{"grpc_server_handled_total", rpc("GetEntity", "InvalidArgument"), 1},
		{"grpc_server_handled_total", rpc("GetEntity", "NotFound"), 1},
		{"grpc_server_handled_total", map[string]string{"grpc_method": "LoadArticles", "grpc_type": "client_stream", "grpc_code": "OK"}, 1},
		{"grpc_server_started_total", rpc("GetEntity", ""), 2},
		{"grpc_server_handling_seconds", rpc("ListRelations", ""), 2},
		{"grpc_server_msg_received_total", rpc("LoadArticles", ""), 2},
		{"newsgraph_load_articles_total", map[string]string{"result": "stored"}, 1},
		{"newsgraph_load_articles_total", map[string]string{"result": "rejected"}, 1},
		{"newsgraph_load_articles_total", map[string]string{"result": "replaced"}, 0},
		{"newsgraph_load_statements_total", nil, float64(sum.GetStatements())},
		{"newsgraph_load_entities_total", nil, float64(sum.GetEntities())},
		{"newsgraph_load_quads_added_total", nil, float64(sum.GetQuadsAdded())},
		{"newsgraph_load_quads_removed_total", nil, 0},
		{"newsgraph_load_batch_commit_seconds", nil, 1},
		{"newsgraph_load_batches_failed_total", nil, 0},
		{"newsgraph_store_articles", nil, 1},
		{"newsgraph_store_statements", nil, float64(st.GetStatements())},
		{"newsgraph_store_quads", nil, float64(st.GetQuads())},
		{"newsgraph_store_entities", nil, float64(st.GetEntities())},
		{"newsgraph_store_file_bytes", nil, float64(size)},
		{"newsgraph_relcache_lookups_total", map[string]string{"cache": "adjacency", "result": "hit"}, float64(cs.AdjacencyHits)},
		{"newsgraph_relcache_lookups_total", map[string]string{"cache": "edges", "result": "miss"}, float64(cs.EdgeMisses)},
		{"newsgraph_relcache_held", map[string]string{"what": "statements"}, float64(cs.Statements)},
	} {
		got, ok := value(fams, w.name, w.labels)
		if !ok || got != w.want {
			t.Errorf("%s%v = %v (present %v), want %v", w.name, w.labels, got, ok, w.want)
		}
	}
	if size <= 0 || st.GetQuads() == 0 || st.GetStatements() != int64(sum.GetStatements()) {
		t.Errorf("file %d bytes, stats %v, load summary %v", size, st, sum)
	}
	// The second ListRelations found the United States' edges in the cache.
	if cs.AdjacencyHits < 2 || cs.EdgeHits == 0 {
		t.Errorf("cache stats %+v: want adjacency hits from both calls and edge hits from the second", cs)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
