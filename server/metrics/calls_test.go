package metrics

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestCallCodes: a call is counted handled under the code the gRPC server sends for
// its error (context errors as Canceled and DeadlineExceeded, plain errors Unknown),
// started once, with one message received and one sent when it succeeds, for methods
// InitializeMetrics did not know too.
func TestCallCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want codes.Code
	}{
		{"ok", nil, codes.OK},
		{"status", status.Error(codes.NotFound, "no such entity"), codes.NotFound},
		{"wrapped status", fmt.Errorf("get: %w", status.Error(codes.InvalidArgument, "bad")), codes.InvalidArgument},
		{"deadline", context.DeadlineExceeded, codes.DeadlineExceeded},
		{"canceled", context.Canceled, codes.Canceled},
		{"plain error", errors.New("boom"), codes.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCallMetrics(callBuckets)
			ic := interceptors.UnaryServerInterceptor(c)
			info := &grpc.UnaryServerInfo{FullMethod: "/svc.v1.S/" + tt.name}
			_, err := ic(context.Background(), "req", info, func(context.Context, any) (any, error) {
				if tt.err != nil {
					return nil, tt.err
				}
				return "resp", nil
			})
			if !errors.Is(err, tt.err) {
				t.Fatalf("interceptor returned %v, want %v", err, tt.err)
			}
			labels := []string{"unary", "svc.v1.S", tt.name}
			if got := counterValue(t, c.handled.WithLabelValues(append(labels, tt.want.String())...)); got != 1 {
				t.Errorf("handled{grpc_code=%s} = %v, want 1", tt.want, got)
			}
			if got := count(c.handled); got != int(codes.Unauthenticated)+1 {
				t.Errorf("%d handled series, want one per code", got)
			}
			sent := 0.0
			if tt.err == nil {
				sent = 1
			}
			for _, s := range []struct {
				name string
				got  float64
				want float64
			}{
				{"started", counterValue(t, c.started.WithLabelValues(labels...)), 1},
				{"received", counterValue(t, c.received.WithLabelValues(labels...)), 1},
				{"sent", counterValue(t, c.sent.WithLabelValues(labels...)), sent},
			} {
				if s.got != s.want {
					t.Errorf("%s = %v, want %v", s.name, s.got, s.want)
				}
			}
			if n := count(c.handling); n != 1 {
				t.Errorf("%d handling histograms, want 1", n)
			}
		})
	}
}

// counterValue is a counter's value.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// count is the number of series c collects.
func count(c prometheus.Collector) int {
	ch := make(chan prometheus.Metric)
	go func() { c.Collect(ch); close(ch) }()
	n := 0
	for range ch {
		n++
	}
	return n
}
