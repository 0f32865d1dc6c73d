package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// startServeHTTP runs "newsgraph serve --http 127.0.0.1:0 args..." in-process and
// returns its gRPC and HTTP addresses; the server stops at the end of the test.
func startServeHTTP(t *testing.T, args ...string) (grpcAddr, httpAddr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &lockedBuffer{}
	listening := make(chan string, 1)
	httpListening := make(chan string, 1)
	e := env{stdin: strings.NewReader(""), stdout: log, stderr: log,
		onListen: func(a string) { listening <- a }, onHTTPListen: func(a string) { httpListening <- a }}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--http", "127.0.0.1:0", "--log-level", "debug"}, args...), e)
	}()
	select {
	case grpcAddr = <-listening:
		httpAddr = <-httpListening
	case code := <-exited:
		cancel()
		t.Fatalf("serve exited with %d before listening:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not listen within 60s:\n%s", log.String())
	}
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() {
			cancel()
			if code := <-exited; code != exitOK {
				t.Errorf("serve exited with %d:\n%s", code, log.String())
			}
		})
	})
	return grpcAddr, httpAddr
}

// postJSON is `curl -H 'Content-Type: application/json' -d BODY URL` with an optional
// bearer token: it returns the status and the body.
func postJSON(t *testing.T, url, body, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// TestHTTPMatchesGRPC: the JSON API of serve --http answers each query with the
// message the gRPC client gets (compared as protos after protojson), and errors with
// the same code and message.
func TestHTTPMatchesGRPC(t *testing.T) {
	grpcAddr, httpAddr := startServeHTTP(t, "--data", filepath.Join(t.TempDir(), "store"), "--load", reference)
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := pb.NewNewsGraphServiceClient(conn)
	ctx := context.Background()
	kerry := &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "John Kerry"}}
	aleppo := &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Aleppo"}}
	for _, tt := range []struct {
		method string
		req    proto.Message
		resp   proto.Message
	}{
		{"SearchEntities", &pb.SearchEntitiesRequest{Query: "Kery", Mode: pb.SearchMode_SEARCH_MODE_FUZZY}, &pb.SearchEntitiesResponse{}},
		{"GetEntity", &pb.GetEntityRequest{Entity: kerry}, &pb.GetEntityResponse{}},
		{"ListRelations", &pb.ListRelationsRequest{Entity: kerry, Modalities: []pb.Modality{pb.Modality_MODALITY_ASSERTED}}, &pb.ListRelationsResponse{}},
		{"GetRelationsBetween", &pb.GetRelationsBetweenRequest{Entity: kerry, Other: &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Sergey Lavrov"}}}, &pb.GetRelationsBetweenResponse{}},
		{"FindPaths", &pb.FindPathsRequest{From: kerry, To: aleppo, K: 3}, &pb.FindPathsResponse{}},
		{"GetNeighbourhood", &pb.GetNeighbourhoodRequest{Entity: aleppo, Depth: 2}, &pb.GetNeighbourhoodResponse{}},
		{"GetTimeline", &pb.GetTimelineRequest{Entity: kerry}, &pb.GetTimelineResponse{}},
		{"GetStats", &pb.GetStatsRequest{}, &pb.GetStatsResponse{}},
	} {
		body, err := protojson.Marshal(tt.req)
		if err != nil {
			t.Fatal(err)
		}
		code, got := postJSON(t, "http://"+httpAddr+"/newsgraph.v1.NewsGraphService/"+tt.method, string(body), "")
		if code != http.StatusOK {
			t.Errorf("%s over HTTP = %d %s", tt.method, code, got)
			continue
		}
		if err := protojson.Unmarshal(got, tt.resp); err != nil {
			t.Errorf("%s over HTTP: %v in %s", tt.method, err, got)
			continue
		}
		want := tt.resp.ProtoReflect().New().Interface()
		if err := conn.Invoke(ctx, "/newsgraph.v1.NewsGraphService/"+tt.method, tt.req, want); err != nil {
			t.Errorf("%s over gRPC: %v", tt.method, err)
			continue
		}
		if !proto.Equal(tt.resp, want) {
			t.Errorf("%s: HTTP answered\n%v\ngRPC answered\n%v", tt.method, tt.resp, want)
		}
		if proto.Size(want) == 0 && tt.method != "GetStats" {
			t.Errorf("%s answered nothing", tt.method)
		}
	}
	if _, err := c.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
		t.Fatal(err)
	}

	// Errors: the same code and message as gRPC's.
	_, gerr := c.GetEntity(ctx, &pb.GetEntityRequest{Entity: &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: "Atlantis"}}})
	code, got := postJSON(t, "http://"+httpAddr+"/newsgraph.v1.NewsGraphService/GetEntity", `{"entity":{"name":"Atlantis"}}`, "")
	var cerr struct{ Code, Message string }
	if err := json.Unmarshal(got, &cerr); err != nil || code != http.StatusNotFound || cerr.Code != "not_found" ||
		status.Code(gerr) != codes.NotFound || cerr.Message != status.Convert(gerr).Message() {
		t.Errorf("GetEntity Atlantis: HTTP %d %s; gRPC %v", code, got, gerr)
	}
	code, got = postJSON(t, "http://"+httpAddr+"/newsgraph.v1.NewsGraphService/FindPaths", `{"from":{"name":"John Kerry"},"to":{"name":"Aleppo"},"k":99}`, "")
	if code != http.StatusBadRequest || !bytes.Contains(got, []byte(`"invalid_argument"`)) || !bytes.Contains(got, []byte("k")) {
		t.Errorf("FindPaths k 99 over HTTP = %d %s", code, got)
	}

	// The page is there, and a foreign Host is refused (DNS rebinding to loopback).
	resp, err := http.Get("http://" + httpAddr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("newsgraph explorer")) {
		t.Errorf("GET / = %d %.200s", resp.StatusCode, page)
	}
	req, _ := http.NewRequest("GET", "http://"+httpAddr+"/", nil)
	req.Host = "attacker.example:80"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("GET / with Host attacker.example = %v %v, want 421", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestHTTPTokens: with --auth-tokens, an HTTP call without a token is refused as
// unauthenticated (401), one with a read token answers queries and is refused writes,
// exactly as over gRPC; the page itself needs no token.
func TestHTTPTokens(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "tokens.txt")
	const readTok = "reader-token-0123456789"
	if err := os.WriteFile(tokens, []byte(readTok+" analyst read\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	grpcAddr, httpAddr := startServeHTTP(t, "--backend", "memstore", "--auth-tokens", tokens, "--load", reference)
	url := "http://" + httpAddr + "/newsgraph.v1.NewsGraphService/"
	code, got := postJSON(t, url+"GetStats", `{}`, "")
	if code != http.StatusUnauthorized || !bytes.Contains(got, []byte(`"unauthenticated"`)) {
		t.Errorf("GetStats without a token = %d %s, want 401 unauthenticated", code, got)
	}
	code, got = postJSON(t, url+"GetStats", `{}`, "wrong-token-0123456789")
	if code != http.StatusUnauthorized {
		t.Errorf("GetStats with a wrong token = %d %s, want 401", code, got)
	}
	code, got = postJSON(t, url+"GetStats", `{}`, readTok)
	if code != http.StatusOK || !bytes.Contains(got, []byte(`"articles":"1"`)) {
		t.Errorf("GetStats with a read token = %d %s", code, got)
	}
	code, got = postJSON(t, url+"DeleteArticle", `{"articleId":"x"}`, readTok)
	if code != http.StatusForbidden || !bytes.Contains(got, []byte(`"permission_denied"`)) {
		t.Errorf("DeleteArticle with a read token = %d %s, want 403 permission_denied", code, got)
	}
	// gRPC refuses the same way.
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := pb.NewNewsGraphServiceClient(conn)
	if _, err := c.GetStats(context.Background(), &pb.GetStatsRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("gRPC GetStats without a token: %v", err)
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+readTok)
	if _, err := c.GetStats(ctx, &pb.GetStatsRequest{}); err != nil {
		t.Errorf("gRPC GetStats with a read token: %v", err)
	}
	resp, err := http.Get("http://" + httpAddr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET / on a token server = %d, want the page", resp.StatusCode)
	}
}
