package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/loader/doc"
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

// startRefusing serves a dyingServer that never dies with the server options on
// 127.0.0.1 and returns its address.
func startRefusing(t *testing.T, opts ...grpc.ServerOption) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dyingServer{dieInCall: -1}
	srv := grpc.NewServer(opts...)
	pb.RegisterNewsGraphServiceServer(srv, d)
	go srv.Serve(recordingListener{lis, d})
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

// refuseFromCall is a stream interceptor that refuses LoadArticles calls from the
// call-th on with code, as the server's auth interceptor does (before reading any
// message).
func refuseFromCall(call int, code codes.Code, msg string) grpc.ServerOption {
	var mu sync.Mutex
	calls := 0
	return grpc.StreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n >= call {
			return status.Error(code, msg)
		}
		return next(srv, ss)
	})
}

// TestLoadRefusals: a message over the server's size limit is named (the article's
// index in the input, its id and file:line, its size and the limit); a call refused for
// its token says none of its articles is stored (not "some may be stored") and counts
// what the calls before stored.
func TestLoadRefusals(t *testing.T) {
	tmp := t.TempDir()
	lines := synthCorpus(6, 2)
	big, _ := json.Marshal(synthArticle{ID: "big-one", Title: "A long dispatch", Text: strings.Repeat("Kerry warned Lavrov. ", 500)})
	lines = append(lines[:3], append([]string{string(big)}, lines[3:]...)...) // line 4, article 3 of the input
	corpus := writeLines(t, tmp, "corpus.jsonl", lines)
	// A text file without a body read first: article 0 of the input, rejected when
	// read, so the big one is article 4.
	txt := filepath.Join(tmp, "a.txt")
	if err := os.WriteFile(txt, []byte("Kerry warned Lavrov.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const limit = 4096
	small := startRefusing(t, grpc.MaxRecvMsgSize(limit))
	noToken := startRefusing(t, refuseFromCall(1, codes.Unauthenticated, "missing bearer token"))
	readOnly := startRefusing(t, refuseFromCall(2, codes.PermissionDenied, "token analyst has scope read, newsgraph.v1.NewsGraphService/LoadArticles needs write"))

	tests := []struct {
		name    string
		addr    string
		batch   string
		paths   []string
		stdout  string   // in the output: the totals line
		stderr  []string // each in the error message
		notErr  []string // none in the error message
		noneRE  string   // a pattern the error message matches, "" for none
		unacked [2]int   // the range of "N articles sent in the unfinished call got no answer" (0, 0: absent)
	}{
		{"message over the server's limit, one call", small, "100", []string{corpus}, "total: 0 articles: 0 stored, ",
			[]string{fmt.Sprintf(`LoadArticles: article 3 of the input (id "big-one", %s:4) is a message of `, corpus),
				fmt.Sprintf(" bytes, over the server's limit of %d bytes (ResourceExhausted: grpc: received message larger than max (", limit),
				fmt.Sprintf("give --max-bytes (now %d) below the limit", doc.DefaultMaxBytes), "0 articles acknowledged by the calls before"},
			nil, "", [2]int{4, 7}},
		{"message over the server's limit, after a call", small, "2", []string{txt, corpus}, "total: 3 articles: 2 stored, 0 replaced, 0 unchanged, 1 rejected;",
			[]string{fmt.Sprintf(`article 4 of the input (id "big-one", %s:4) is a message of `, corpus),
				"2 articles acknowledged by the calls before (2 stored, 0 replaced, 0 unchanged)"},
			nil, "", [2]int{2, 2}},
		{"no token", noToken, "5", []string{corpus}, "total: 0 articles: 0 stored, ",
			[]string{"Unauthenticated: missing bearer token: the server refused the call before reading any article"},
			[]string{"may be stored", "got no answer", "acknowledged", "went away"}, `so none of the [1-5] sent in it is stored$`, [2]int{}},
		{"read token after a call went through", readOnly, "2", []string{corpus}, "total: 2 articles: 2 stored, ",
			[]string{"PermissionDenied: token analyst has scope read", "before reading any article, so none of the ",
				"; 2 articles acknowledged by the calls before (2 stored, 0 replaced, 0 unchanged)"},
			[]string{"may be stored", "got no answer"}, `so none of the [12] sent in it is stored`, [2]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"load", "--addr", tt.addr, "--batch", tt.batch, "--quiet"}, tt.paths...)
			code, out, errs := cli(t, "", args...)
			t.Logf("stderr:\n%s", errs)
			if code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q, want it to hold %q", out, tt.stdout)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			for _, w := range tt.notErr {
				if strings.Contains(errs, w) {
					t.Errorf("stderr has %q:\n%s", w, errs)
				}
			}
			if tt.noneRE != "" && !regexp.MustCompile(tt.noneRE).MatchString(strings.TrimSpace(errs)) {
				t.Errorf("stderr does not match %q:\n%s", tt.noneRE, errs)
			}
			unacked := 0
			if m := unackedRE.FindStringSubmatch(errs); m != nil {
				unacked, _ = strconv.Atoi(m[1])
			}
			if unacked < tt.unacked[0] || unacked > tt.unacked[1] {
				t.Errorf("%d articles without an answer, want %d to %d:\n%s", unacked, tt.unacked[0], tt.unacked[1], errs)
			}
		})
	}
}
