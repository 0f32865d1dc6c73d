package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

type nopExtractor struct{}

func (nopExtractor) Extract(doc.Document) (*graph.Article, error) { return &graph.Article{}, nil }

func memStore(t *testing.T) graph.Store {
	t.Helper()
	gcfg := server.DefaultConfig().StoreConfig(graph.DefaultConfig())
	gcfg.Backend = graph.BackendMemstore
	s, err := graph.Open(context.Background(), gcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestObserveFlags: bad --trace and --trace-sample values are refused.
func TestObserveFlags(t *testing.T) {
	for _, f := range []observeFlags{{trace: "jaeger"}, {trace: "stdout", traceSample: 2}, {traceSample: -1}} {
		if f.check() == nil {
			t.Errorf("%+v passed the check", f)
		}
	}
	if err := (observeFlags{metrics: true, trace: "otlp", traceSample: 0.5}).check(); err != nil {
		t.Errorf("good flags refused: %v", err)
	}
}

// TestSetupObservability: metrics need --http and add interceptors, a load observer
// and /metrics (behind a read token when the server checks tokens); --metrics=false
// and no --http add none; request ids are always added to the HTTP server; --trace
// adds a stats handler.
func TestSetupObservability(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	for _, tt := range []struct {
		name        string
		f           observeFlags
		http        bool
		wantMetrics bool
	}{
		{"metrics with --http", observeFlags{metrics: true, traceSample: 1}, true, true},
		{"no --http, no metrics", observeFlags{metrics: true, traceSample: 1}, false, false},
		{"--metrics=false", observeFlags{metrics: false, traceSample: 1}, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			o, err := setupObservability(ctx, log, tt.f, tt.http, &bytes.Buffer{}, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer o.close(log)
			got := len(cfg.UnaryInterceptors) == 1 && len(cfg.StreamInterceptors) == 1 && cfg.LoadObserver != nil && o.loadObserver() != nil
			if got != tt.wantMetrics || !tt.wantMetrics && (len(cfg.UnaryInterceptors) != 0 || cfg.LoadObserver != nil) {
				t.Errorf("interceptors %d/%d, load observer %v: want metrics %v", len(cfg.UnaryInterceptors), len(cfg.StreamInterceptors), cfg.LoadObserver != nil, tt.wantMetrics)
			}
			srv, err := server.New(memStore(t), nopExtractor{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			gs, _ := srv.NewGRPCServer()
			routes, mw := o.httpRoutes(gs)
			if len(mw) != 1 {
				t.Errorf("%d middlewares, want the request ids", len(mw))
			}
			if _, ok := routes["/metrics"]; ok != tt.wantMetrics {
				t.Errorf("/metrics route %v, want %v", ok, tt.wantMetrics)
			}
		})
	}

	t.Run("tokens guard /metrics", func(t *testing.T) {
		cfg := server.DefaultConfig()
		toks, err := server.ParseTokens("tokens", strings.NewReader("prometheus-token-0123 prom read\n"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Tokens = toks
		o, err := setupObservability(ctx, log, observeFlags{metrics: true, traceSample: 1}, true, &bytes.Buffer{}, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := server.New(memStore(t), nopExtractor{}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		gs, _ := srv.NewGRPCServer()
		routes, _ := o.httpRoutes(gs)
		for auth, want := range map[string]int{"": http.StatusUnauthorized, "Bearer prometheus-token-0123": http.StatusOK} {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			rec := httptest.NewRecorder()
			routes["/metrics"].ServeHTTP(rec, req)
			if rec.Code != want {
				t.Errorf("Authorization %q: %d, want %d", auth, rec.Code, want)
			}
			if want == http.StatusOK && !strings.Contains(rec.Body.String(), `grpc_server_handled_total{grpc_code="OK",grpc_method="GetStats"`) {
				t.Errorf("/metrics lacks the initialized call series:\n%.2000s", rec.Body.String())
			}
		}
	})

	t.Run("--trace stdout", func(t *testing.T) {
		cfg := server.DefaultConfig()
		o, err := setupObservability(ctx, log, observeFlags{trace: "stdout", traceSample: 1}, false, &bytes.Buffer{}, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer o.close(log)
		if len(cfg.GRPCOptions) != 1 || len(cfg.UnaryInterceptors) != 0 {
			t.Errorf("grpc options %d, interceptors %d: want the stats handler alone", len(cfg.GRPCOptions), len(cfg.UnaryInterceptors))
		}
	})
}

// TestServeMetrics: serve --http serves /metrics, scraped over HTTP after a load, a
// gRPC call, a JSON call and a failed call; the JSON call's X-Request-Id comes back,
// once, in its response (through the gRPC call vanguard makes of it).
func TestServeMetrics(t *testing.T) {
	grpcAddr, httpAddr := startServeHTTP(t, "--data", filepath.Join(t.TempDir(), "store"), "--load", reference)
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := pb.NewNewsGraphServiceClient(conn)
	if _, err := c.GetStats(context.Background(), &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetEntity(context.Background(), &pb.GetEntityRequest{}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("GetEntity without an entity: %v", err)
	}
	req, err := http.NewRequest("POST", "http://"+httpAddr+"/newsgraph.v1.NewsGraphService/GetStats", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "web-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(resp.Header.Values("X-Request-Id")) != 1 || resp.Header.Get("X-Request-Id") != "web-42" {
		t.Errorf("JSON GetStats: %s, X-Request-Id %q; want 200 and web-42 once", resp.Status, resp.Header.Values("X-Request-Id"))
	}

	resp, err = http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="GetStats",grpc_service="newsgraph.v1.NewsGraphService",grpc_type="unary"} 2`,
		`grpc_server_handled_total{grpc_code="InvalidArgument",grpc_method="GetEntity",grpc_service="newsgraph.v1.NewsGraphService",grpc_type="unary"} 1`,
		`newsgraph_load_articles_total{result="stored"} 1`,
		`newsgraph_load_batch_commit_seconds_count 1`,
		`newsgraph_store_articles 1`,
		"newsgraph_store_file_bytes ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics (%s):\n%.3000s", resp.Status, text)
	}
}

// TestServeNoMetrics: --metrics=false serves no /metrics.
func TestServeNoMetrics(t *testing.T) {
	_, httpAddr := startServeHTTP(t, "--backend", "memstore", "--metrics=false")
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "grpc_server_handled_total") {
		t.Errorf("--metrics=false: /metrics answered %s with metrics", resp.Status)
	}
}
