package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/internal/tlsfile"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// connectEndStream is the last frame of a Connect streaming response: an error, or
// none when the stream ended well.
type connectEndStream struct {
	Error *struct{ Code, Message string } `json:"error"`
}

// connectServerStream makes a Connect server-streaming call with a JSON request, as a
// browser's connect-web client does: one enveloped request message (a flags byte and
// a big-endian length before the JSON), answered by enveloped messages and an
// end-of-stream frame (flag 2). It returns the HTTP response's protocol, the messages
// and the end-of-stream frame.
func connectServerStream(t *testing.T, c *http.Client, url, body string) (proto string, msgs [][]byte, end connectEndStream) {
	t.Helper()
	frame := make([]byte, 5, 5+len(body))
	binary.BigEndian.PutUint32(frame[1:], uint32(len(body)))
	frame = append(frame, body...)
	req, err := http.NewRequest("POST", url, bytes.NewReader(frame))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/connect+json")
	req.Header.Set("Connect-Protocol-Version", "1")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/connect+json" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s = %d %s %s", url, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	for {
		var head [5]byte
		if _, err := io.ReadFull(resp.Body, head[:]); err != nil {
			t.Fatalf("stream from %s ended without an end-of-stream frame: %v", url, err)
		}
		msg := make([]byte, binary.BigEndian.Uint32(head[1:]))
		if _, err := io.ReadFull(resp.Body, msg); err != nil {
			t.Fatalf("stream from %s: frame of %d bytes cut: %v", url, len(msg), err)
		}
		if head[0]&2 != 0 {
			if err := json.Unmarshal(msg, &end); err != nil {
				t.Fatalf("end of stream from %s: %v in %s", url, err, msg)
			}
			if rest, _ := io.ReadAll(resp.Body); len(rest) > 0 {
				t.Errorf("%d bytes after the end of stream from %s", len(rest), url)
			}
			return resp.Proto, msgs, end
		}
		msgs = append(msgs, msg)
	}
}

// TestHTTPStreamPaths: StreamPaths, a server-streaming method, answers a Connect
// streaming call over HTTP/1.1 with the paths gRPC streams, one message each in the
// same order, and ends with the error gRPC gives when the request is wrong.
func TestHTTPStreamPaths(t *testing.T) {
	grpcAddr, httpAddr := startServeHTTP(t, "--backend", "memstore", "--load", reference)
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := &pb.StreamPathsRequest{Query: &pb.FindPathsRequest{
		From: &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "John Kerry"}},
		To:   &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Aleppo"}},
		K:    3,
	}}
	stream, err := pb.NewNewsGraphServiceClient(conn).StreamPaths(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var want []*pb.StreamPathsResponse
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("gRPC StreamPaths: %v", err)
		}
		want = append(want, m)
	}
	if len(want) < 2 {
		t.Fatalf("gRPC StreamPaths gave %d messages, want the 3 paths of the example", len(want))
	}

	body, err := protojson.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + httpAddr + "/newsgraph.v1.NewsGraphService/StreamPaths"
	_, msgs, end := connectServerStream(t, http.DefaultClient, url, string(body))
	if end.Error != nil {
		t.Fatalf("Connect StreamPaths ended with %+v", *end.Error)
	}
	if len(msgs) != len(want) {
		t.Fatalf("Connect StreamPaths gave %d messages, gRPC %d", len(msgs), len(want))
	}
	for i, m := range msgs {
		got := &pb.StreamPathsResponse{}
		if err := protojson.Unmarshal(m, got); err != nil {
			t.Fatalf("message %d: %v in %s", i, err, m)
		}
		if !proto.Equal(got, want[i]) {
			t.Errorf("message %d: HTTP streamed\n%v\ngRPC streamed\n%v", i, got, want[i])
		}
	}

	// A wrong request ends the stream with gRPC's code, in the end-of-stream frame.
	_, msgs, end = connectServerStream(t, http.DefaultClient, url, `{"query":{"from":{"name":"John Kerry"},"to":{"name":"Atlantis"}}}`)
	if len(msgs) != 0 || end.Error == nil || end.Error.Code != "not_found" || !strings.Contains(end.Error.Message, "Atlantis") {
		t.Errorf("StreamPaths to Atlantis over HTTP: %d messages, end %+v; want not_found naming Atlantis", len(msgs), end.Error)
	}
}

// TestHTTPTLS: with --tls-cert the HTTP port serves TLS with the gRPC port's
// certificate: the page, a JSON call and a Connect stream (over HTTP/2, negotiated by
// ALPN) work for a client that trusts the CA; a plaintext request and a client that
// does not know the CA are refused.
func TestHTTPTLS(t *testing.T) {
	ca, cert, key := testCerts(t)
	_, httpAddr := startServeHTTP(t, "--backend", "memstore", "--tls-cert", cert, "--tls-key", key, "--load", reference)
	roots, err := tlsfile.CertPool(ca)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	base := "https://" + httpAddr

	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatalf("GET / over TLS: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" || !bytes.Contains(page, []byte("newsgraph explorer")) {
		t.Errorf("GET / over TLS = %d %s %.100s, want the page over HTTP/2", resp.StatusCode, resp.Proto, page)
	}

	req, _ := http.NewRequest("POST", base+"/newsgraph.v1.NewsGraphService/GetStats", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatalf("GetStats over TLS: %v", err)
	}
	stats, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(stats, []byte(`"articles":"1"`)) {
		t.Errorf("GetStats over TLS = %d %s", resp.StatusCode, stats)
	}

	proto, msgs, end := connectServerStream(t, c, base+"/newsgraph.v1.NewsGraphService/StreamPaths",
		`{"query":{"from":{"name":"John Kerry"},"to":{"name":"Aleppo"},"k":2}}`)
	if proto != "HTTP/2.0" || len(msgs) == 0 || end.Error != nil {
		t.Errorf("StreamPaths over TLS: %s, %d messages, end %+v", proto, len(msgs), end.Error)
	}

	// Plaintext to the TLS port: Go's server answers 400 and serves nothing else.
	resp, err = http.Get("http://" + httpAddr + "/")
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || bytes.Contains(b, []byte("newsgraph explorer")) {
			t.Errorf("plaintext GET on the TLS port = %d %.100s, want 400", resp.StatusCode, b)
		}
	}
	// A client that does not trust the CA does not get through the handshake.
	if resp, err := http.Get(base + "/"); err == nil {
		resp.Body.Close()
		t.Errorf("GET / without the CA succeeded: %d", resp.StatusCode)
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("GET / without the CA: %v, want a certificate error", err)
	}
}
