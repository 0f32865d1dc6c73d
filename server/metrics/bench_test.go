package metrics_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server/metrics"
)

// BenchmarkUnaryInterceptor is what metrics add to one unary call: the interceptor
// around a handler that does nothing (count started and handled, observe the time).
// Compare with the server CPU per call bench/ghz.sh prints (about 43 µs for
// ListRelations, 140 µs for FindPaths on the shared machine).
func BenchmarkUnaryInterceptor(b *testing.B) {
	m, err := metrics.New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	ic := m.UnaryInterceptor()
	info := &grpc.UnaryServerInfo{FullMethod: "/newsgraph.v1.NewsGraphService/ListRelations"}
	h := func(ctx context.Context, req any) (any, error) { return req, nil }
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ic(ctx, nil, info, h); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCall is whole calls through a real server on 127.0.0.1 (a bolt store in a
// temporary folder holding the example article; one connection and 50 callers, as
// bench/ghz.sh's defaults), without and with the metrics: the difference is what the
// metrics cost a call, client and server together, on the same cores. Compare the two
// with benchstat:
//
//	go test ./server/metrics -run '^$' -bench 'Call/' -count 10 -cpu 2 | tee /tmp/call.txt
//	benchstat -col /metrics /tmp/call.txt
func BenchmarkCall(b *testing.B) {
	for _, method := range []string{"ListRelations", "FindPaths"} {
		for _, on := range []bool{false, true} {
			name := "method=" + method + "/metrics=off"
			if on {
				name = "method=" + method + "/metrics=on"
			}
			b.Run(name, func(b *testing.B) {
				e := startServer(b, on)
				ctx := context.Background()
				load(b, e)
				kerry := &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "John Kerry"}}
				call := func() error {
					_, err := e.client.ListRelations(ctx, &pb.ListRelationsRequest{Entity: kerry})
					return err
				}
				if method == "FindPaths" {
					aleppo := &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Aleppo"}}
					call = func() error {
						_, err := e.client.FindPaths(ctx, &pb.FindPathsRequest{From: kerry, To: aleppo, K: 3})
						return err
					}
				}
				if err := call(); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0)))
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := call(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// load stores the example article through LoadArticles.
func load(b *testing.B, e *env) {
	stream, err := e.client.LoadArticles(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := stream.Send(article(b)); err != nil {
		b.Fatal(err)
	}
	if resp, err := stream.CloseAndRecv(); err != nil || resp.GetSummary().GetStored() != 1 {
		b.Fatalf("load the example: %v %v", resp, err)
	}
}
