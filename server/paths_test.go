package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// TestStreamPaths runs FindPaths and StreamPaths with filters, a hub to avoid and a
// budget that cuts the search, through a real server on memstore.
func TestStreamPaths(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, graph.BackendMemstore)
	p := func(n string) graph.EntityRef { return graph.EntityRef{Type: graph.Person, Name: n} }
	hub := graph.EntityRef{Type: graph.State, Name: "Hubland"}
	day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	st := func(s graph.EntityRef, pred string, o graph.EntityRef, m graph.Modality) graph.Statement {
		return graph.Statement{Subject: s, Predicate: pred, Object: o, Sentence: s.Name + " " + pred + " " + o.Name + ".",
			Confidence: 0.9, Modality: m, EventDate: day}
	}
	art := &graph.Article{ID: "chain", Hash: "h", Source: "wire", Published: day, Statements: []graph.Statement{
		st(p("Ann"), "met", p("Bob"), graph.Asserted),
		st(p("Bob"), "warned", p("Zoe"), graph.Asserted),
		st(p("Ann"), "met", hub, graph.Hedged),
		st(hub, "attacked", p("Zoe"), graph.Hedged),
		st(p("Ann"), "met", p("Cid"), graph.Asserted),
		st(p("Cid"), "met", p("Dan"), graph.Asserted),
		st(p("Dan"), "met", p("Zoe"), graph.Asserted),
	}}
	for i := range 20 {
		art.Statements = append(art.Statements, st(hub, "bombed", graph.EntityRef{Type: graph.City, Name: fmt.Sprintf("Town %d", i)}, graph.Asserted))
	}
	if res, err := store.PutArticles(ctx, []*graph.Article{art}); err != nil || res[0].Err != nil {
		t.Fatalf("put: %v %+v", err, res)
	}
	c := startServer(t, store, newExtractor(t), DefaultConfig()).client
	q := &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), K: 5}

	stream := func(r *pb.StreamPathsRequest) (paths []*pb.Path, truncated bool, err error) {
		s, err := c.StreamPaths(ctx, r)
		if err != nil {
			return nil, false, err
		}
		for {
			m, err := s.Recv()
			if errors.Is(err, io.EOF) {
				return paths, truncated, nil
			}
			if err != nil {
				return paths, truncated, err
			}
			if m.GetPath() != nil {
				paths = append(paths, m.GetPath())
			}
			truncated = truncated || m.GetTruncated()
		}
	}
	paths, truncated, err := stream(&pb.StreamPathsRequest{Query: q})
	if err != nil || len(paths) != 3 || truncated {
		t.Fatalf("StreamPaths: %d paths, truncated %v, %v; want 3", len(paths), truncated, err)
	}
	for i, want := range []int{2, 2, 3} {
		if got := len(paths[i].GetHops()); got != want {
			t.Errorf("path %d: %d hops, want %d (shortest first)", i, got, want)
		}
		for _, h := range paths[i].GetHops() {
			if len(h.GetEvidence()) == 0 || h.GetEvidence()[0].GetSentence() == "" || h.GetEvidence()[0].GetEventDate() != "2016-09-28" {
				t.Errorf("path %d hop %s: evidence %v", i, h.GetPredicate(), h.GetEvidence())
			}
		}
	}
	// The same through FindPaths, with the hub avoided and only asserted hops.
	f := &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), K: 5, MaxDegree: 10,
		Modalities: []pb.Modality{pb.Modality_MODALITY_ASSERTED}, EventDateFrom: "2016-09-01", EventDateTo: "2016-09-30"}
	resp, err := c.FindPaths(ctx, f)
	if err != nil || len(resp.GetPaths()) != 2 || resp.GetTruncated() {
		t.Fatalf("FindPaths avoiding the hub: %v, %v; want 2 paths", resp, err)
	}
	for _, p := range resp.GetPaths() {
		for _, h := range p.GetHops() {
			if h.GetTo().GetName() == "Hubland" {
				t.Errorf("a path goes through the hub: %v", p)
			}
		}
	}
	// A node budget that cuts the search after the first paths: marked truncated.
	paths, truncated, err = stream(&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), K: 5, MaxNodes: 3}})
	if err != nil || len(paths) == 0 || !truncated {
		t.Errorf("StreamPaths on a budget: %d paths, truncated %v, %v; want some, truncated", len(paths), truncated, err)
	}
	if r, err := c.FindPaths(ctx, &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), K: 5, MaxNodes: 3}); err != nil || !r.GetTruncated() {
		t.Errorf("FindPaths on a budget: %v, %v; want truncated", r, err)
	}
	// Budget too small for any path: RESOURCE_EXHAUSTED.
	if _, _, err := stream(&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), MaxNodes: 1}}); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("StreamPaths on a budget of 1: %v, want RESOURCE_EXHAUSTED", err)
	}
	// Bad requests name the field.
	for _, bad := range []struct {
		r     *pb.StreamPathsRequest
		field string
	}{
		{&pb.StreamPathsRequest{}, "query:"},
		{&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), K: 11}}, "query.k:"},
		{&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), MaxDegree: -1}}, "query.max_degree:"},
		{&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Zoe"), EventDateFrom: "2016-10-01", EventDateTo: "2016-09-01"}}, "query.event_date_to:"},
		{&pb.StreamPathsRequest{Query: &pb.FindPathsRequest{From: byName("Ann"), To: byName("Nobody")}}, "query.to.name:"},
	} {
		_, _, err := stream(bad.r)
		if st := status.Convert(err); !strings.HasPrefix(st.Message(), bad.field) || st.Code() == codes.OK {
			t.Errorf("StreamPaths(%v) = %v, want an error on %s", bad.r, err, bad.field)
		}
	}
}
