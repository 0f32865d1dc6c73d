package main

import (
	"errors"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// dyingServer answers LoadArticles calls like the server until call dieInCall, in
// which it drops every connection after receiving dieAfter articles: a server killed
// mid-load, as the client sees it.
type dyingServer struct {
	pb.UnimplementedNewsGraphServiceServer
	dieInCall, dieAfter int

	mu    sync.Mutex
	calls int
	conns []net.Conn // accepted connections, closed when the server dies
}

// Accept is the listener's, recording each connection.
type recordingListener struct {
	net.Listener
	d *dyingServer
}

func (l recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.d.mu.Lock()
		l.d.conns = append(l.d.conns, c)
		l.d.mu.Unlock()
	}
	return c, err
}

// die closes every connection, as the kernel does for a killed process.
func (d *dyingServer) die() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		c.Close()
	}
}

func (d *dyingServer) LoadArticles(stream grpc.ClientStreamingServer[pb.LoadArticlesRequest, pb.LoadArticlesResponse]) error {
	d.mu.Lock()
	d.calls++
	call := d.calls
	d.mu.Unlock()
	if err := stream.SendHeader(metadata.MD{}); err != nil { // as the server does: the call is not queued
		return err
	}
	resp := &pb.LoadArticlesResponse{Summary: &pb.LoadSummary{}}
	for n := 0; ; n++ {
		if call == d.dieInCall && n == d.dieAfter {
			d.die() // the client gets Unavailable
			<-stream.Context().Done()
			return stream.Context().Err()
		}
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		resp.Results = append(resp.Results, &pb.ArticleResult{Index: int32(n), ArticleId: req.GetId(), Status: pb.ArticleStatus_ARTICLE_STATUS_STORED, Entities: 3, Statements: 2})
		resp.Summary.Articles++
		resp.Summary.Stored++
	}
	return stream.SendAndClose(resp)
}

// startDying serves a dyingServer on 127.0.0.1 and returns its address.
func startDying(t *testing.T, dieInCall, dieAfter int) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dyingServer{dieInCall: dieInCall, dieAfter: dieAfter}
	srv := grpc.NewServer()
	pb.RegisterNewsGraphServiceServer(srv, d)
	go srv.Serve(recordingListener{lis, d})
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

var unackedRE = regexp.MustCompile(`(\d+) articles sent in the unfinished call got no answer`)

// TestLoadServerGoesAway: when the server goes away mid-load, load counts the articles
// acknowledged before (not 0), lists them in --acked, says the server went away and
// how many articles got no answer, and exits 1.
func TestLoadServerGoesAway(t *testing.T) {
	tmp := t.TempDir()
	corpus := writeLines(t, tmp, "corpus.jsonl", synthCorpus(12, 1))
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := closed.Addr().String()
	closed.Close()
	tests := []struct {
		name      string
		addr      string
		batch     string
		stdout    string   // the totals line starts so
		stderr    []string // each in the error message
		unacked   [2]int   // the range of "N articles sent in the unfinished call got no answer"
		ackedRows int
	}{
		{"in the third call", startDying(t, 3, 2), "5", "total: 10 articles: 10 stored, ",
			[]string{"went away (Unavailable: ", "10 articles acknowledged before the connection failed (10 stored, 0 replaced, 0 unchanged)"}, [2]int{2, 2}, 10},
		// The client may have sent the 12 articles, or fewer, when the server drops it.
		{"in the first call", startDying(t, 1, 4), "1000", "total: 0 articles: 0 stored, ",
			[]string{"went away (Unavailable: ", "0 articles acknowledged before the connection failed"}, [2]int{4, 12}, 0},
		{"never there", unreachable, "5", "total: 0 articles: 0 stored, ",
			[]string{"cannot reach the server at " + unreachable}, [2]int{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acked := filepath.Join(t.TempDir(), "acked.jsonl")
			code, out, errs := cli(t, "", "load", "--addr", tt.addr, "--batch", tt.batch, "--quiet", "--acked", acked, corpus)
			if code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			if !strings.HasPrefix(out, tt.stdout) {
				t.Errorf("stdout %q, want it to start with %q", out, tt.stdout)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			unacked := 0
			if m := unackedRE.FindStringSubmatch(errs); m != nil {
				unacked, _ = strconv.Atoi(m[1])
			}
			if unacked < tt.unacked[0] || unacked > tt.unacked[1] {
				t.Errorf("%d articles without an answer, want %d to %d:\n%s", unacked, tt.unacked[0], tt.unacked[1], errs)
			}
			ids := readAcked(t, acked)
			if len(ids) != tt.ackedRows {
				t.Errorf("--acked lists %d articles %v, want %d", len(ids), ids, tt.ackedRows)
			}
			for i, id := range ids {
				if want := synthID(i); id != want {
					t.Errorf("--acked line %d is %s, want %s", i+1, id, want)
				}
			}
		})
	}
}
