package server

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cayleygraph/quad/nquads"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// exportAll runs ExportGraph and returns the concatenated chunks and the number of
// chunks.
func exportAll(ctx context.Context, c pb.NewsGraphServiceClient, req *pb.ExportGraphRequest) (string, int, error) {
	stream, err := c.ExportGraph(ctx, req)
	if err != nil {
		return "", 0, err
	}
	var b strings.Builder
	n := 0
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return b.String(), n, nil
		}
		if err != nil {
			return b.String(), n, err
		}
		if len(resp.GetChunk()) > exportChunkBytes {
			return "", n, errors.New("chunk larger than exportChunkBytes")
		}
		b.Write(resp.GetChunk())
		n++
	}
}

// TestExploreRPCs: GetTimeline, ExportGraph and the events of ListRelations through a
// real server, store and extractor, on memstore and bolt.
func TestExploreRPCs(t *testing.T) {
	for _, backend := range []string{graph.BackendMemstore, graph.BackendBolt} {
		t.Run(backend, func(t *testing.T) {
			ts := startServer(t, openStore(t, backend), newExtractor(t), DefaultConfig())
			ctx := context.Background()
			c := ts.client
			if _, err := load(t, c, referenceArticle(t)); err != nil {
				t.Fatalf("LoadArticles: %v", err)
			}

			tl, err := c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: byName("John Kerry")})
			if err != nil || len(tl.GetEvents()) == 0 {
				t.Fatalf("GetTimeline(John Kerry) = %v, %v", tl, err)
			}
			prev := ""
			for _, e := range tl.GetEvents() {
				d := e.GetEventDate()
				if d == "" {
					d = "~"
				}
				if d < prev || e.GetArticleCount() != 1 || e.GetSourceCount() != 1 || len(e.GetEvidence()) == 0 ||
					e.GetSubject().GetId() != "ng:e/person/john_kerry" && e.GetObject().GetId() != "ng:e/person/john_kerry" {
					t.Errorf("timeline event %v (after %s)", e, prev)
				}
				prev = d
			}
			// Pages of one give the same events.
			var paged []string
			req := &pb.GetTimelineRequest{Entity: byName("John Kerry"), PageSize: 1}
			for i := 0; i < 100; i++ {
				p, err := c.GetTimeline(ctx, req)
				if err != nil {
					t.Fatalf("GetTimeline page %d: %v", i, err)
				}
				for _, e := range p.GetEvents() {
					paged = append(paged, e.GetEventDate()+" "+e.GetPredicate()+" "+e.GetObject().GetName())
				}
				if req.PageToken = p.GetNextPageToken(); req.PageToken == "" {
					break
				}
			}
			var whole []string
			for _, e := range tl.GetEvents() {
				whole = append(whole, e.GetEventDate()+" "+e.GetPredicate()+" "+e.GetObject().GetName())
			}
			if strings.Join(paged, "|") != strings.Join(whole, "|") {
				t.Errorf("pages of one: %q, want %q", paged, whole)
			}

			rel, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: byName("United States"), Predicates: []string{"warned"}})
			if err != nil || len(rel.GetRelations()) == 0 {
				t.Fatalf("ListRelations = %v, %v", rel, err)
			}
			for _, r := range rel.GetRelations() {
				n := 0
				for _, e := range r.GetEvents() {
					n += len(e.GetEvidence())
					for _, ev := range e.GetEvidence() {
						if ev.GetEventDate() != e.GetEventDate() {
							t.Errorf("event %s holds evidence of %s", e.GetEventDate(), ev.GetEventDate())
						}
					}
				}
				if len(r.GetEvents()) == 0 || n != len(r.GetEvidence()) {
					t.Errorf("relation %v: events %v do not group its evidence", r.GetPredicate(), r.GetEvents())
				}
			}

			// The whole graph as full N-Quads: Cayley's reader reads back every quad.
			text, chunks, err := exportAll(ctx, c, &pb.ExportGraphRequest{Format: pb.ExportFormat_EXPORT_FORMAT_NQUADS, Full: true})
			if err != nil {
				t.Fatalf("ExportGraph: %v", err)
			}
			r := nquads.NewReader(strings.NewReader(text), false)
			n := 0
			for {
				_, err := r.ReadQuad()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("reading the export back: %v", err)
				}
				n++
			}
			if st := stats(t, c); int64(n) != st.GetQuads() || chunks == 0 {
				t.Errorf("export: %d quads in %d chunks, store has %d quads", n, chunks, st.GetQuads())
			}
			dot, _, err := exportAll(ctx, c, &pb.ExportGraphRequest{Format: pb.ExportFormat_EXPORT_FORMAT_DOT, Entity: byName("Aleppo"), Depth: 1})
			if err != nil || !strings.HasPrefix(dot, "digraph newsgraph {") || !strings.Contains(dot, `label="Aleppo"`) {
				t.Errorf("ExportGraph DOT of Aleppo = %q, %v", dot, err)
			}
			gml, _, err := exportAll(ctx, c, &pb.ExportGraphRequest{Format: pb.ExportFormat_EXPORT_FORMAT_GRAPHML})
			if err != nil || !strings.Contains(gml, "<graphml") || !strings.Contains(gml, `<data key="name">John Kerry</data>`) {
				t.Errorf("ExportGraph GraphML = %q, %v", gml, err)
			}

			_, err = c.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: byName("Atlantis")})
			if status.Code(err) != codes.NotFound {
				t.Errorf("GetTimeline(Atlantis): %v, want NotFound", err)
			}
			_, _, err = exportAll(ctx, c, &pb.ExportGraphRequest{Entity: byName("Atlantis")})
			if status.Code(err) != codes.NotFound {
				t.Errorf("ExportGraph(Atlantis): %v, want NotFound", err)
			}
			ts.serving(t)
		})
	}
}

// TestExploreValidation: every field of the new requests is validated, and a bad one
// is InvalidArgument naming it.
func TestExploreValidation(t *testing.T) {
	ts := startServer(t, newFakeStore(), fakeExtractor{}, DefaultConfig())
	ctx := context.Background()
	sel := byName("United States")
	long := strings.Repeat("x", 2000)
	timeline := func(r *pb.GetTimelineRequest) func() error {
		return func() error { _, err := ts.client.GetTimeline(ctx, r); return err }
	}
	export := func(r *pb.ExportGraphRequest) func() error {
		return func() error { _, _, err := exportAll(ctx, ts.client, r); return err }
	}
	cases := []struct {
		field, value string
		call         func() error
	}{
		{"entity", "missing", timeline(&pb.GetTimelineRequest{})},
		{"entity.name", `" "`, timeline(&pb.GetTimelineRequest{Entity: byName(" ")})},
		{"entity.id", `"nope"`, timeline(&pb.GetTimelineRequest{Entity: byID("nope")})},
		{"event_date_from", `"yesterday"`, timeline(&pb.GetTimelineRequest{Entity: sel, EventDateFrom: "yesterday"})},
		{"event_date_to", `"2016-13-01"`, timeline(&pb.GetTimelineRequest{Entity: sel, EventDateTo: "2016-13-01"})},
		{"event_date_to", "2016-09-01", timeline(&pb.GetTimelineRequest{Entity: sel, EventDateFrom: "2016-10-01", EventDateTo: "2016-09-01"})},
		{"predicates[0]", `"Warned!"`, timeline(&pb.GetTimelineRequest{Entity: sel, Predicates: []string{"Warned!"}})},
		{"predicates", "40 predicates", timeline(&pb.GetTimelineRequest{Entity: sel, Predicates: make([]string, 40)})},
		{"direction", "42", timeline(&pb.GetTimelineRequest{Entity: sel, Direction: 42})},
		{"modalities[0]", "MODALITY_UNSPECIFIED", timeline(&pb.GetTimelineRequest{Entity: sel, Modalities: []pb.Modality{0}})},
		{"min_sources", "-1", timeline(&pb.GetTimelineRequest{Entity: sel, MinSources: -1})},
		{"max_evidence", "101", timeline(&pb.GetTimelineRequest{Entity: sel, MaxEvidence: 101})},
		{"page_size", "1001", timeline(&pb.GetTimelineRequest{Entity: sel, PageSize: 1001})},
		{"page_token", "2000 bytes", timeline(&pb.GetTimelineRequest{Entity: sel, PageToken: long})},
		{"format", "9", export(&pb.ExportGraphRequest{Format: 9})},
		{"full", "EXPORT_FORMAT_DOT", export(&pb.ExportGraphRequest{Format: pb.ExportFormat_EXPORT_FORMAT_DOT, Full: true})},
		{"depth", "2 without an entity", export(&pb.ExportGraphRequest{Depth: 2})},
		{"max_nodes", "10 without an entity", export(&pb.ExportGraphRequest{MaxNodes: 10})},
		{"predicates", "1 predicates without an entity", export(&pb.ExportGraphRequest{Predicates: []string{"met"}})},
		{"entity.id", `"ng:x"`, export(&pb.ExportGraphRequest{Entity: byID("ng:x")})},
		{"depth", "5", export(&pb.ExportGraphRequest{Entity: sel, Depth: 5})},
		{"max_nodes", "5001", export(&pb.ExportGraphRequest{Entity: sel, MaxNodes: 5001})},
		{"predicates[1]", `"a b"`, export(&pb.ExportGraphRequest{Entity: sel, Predicates: []string{"met", "a b"}})},
	}
	for _, tt := range cases {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			st := status.Convert(tt.call())
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("code %v (%v), want InvalidArgument", st.Code(), st.Message())
			}
			if !strings.HasPrefix(st.Message(), tt.field+": ") || !strings.Contains(st.Message(), tt.value) {
				t.Errorf("message %q, want it to start with %q and show %q", st.Message(), tt.field+": ", tt.value)
			}
			var field string
			for _, d := range st.Details() {
				if br, ok := d.(*errdetails.BadRequest); ok {
					field = br.GetFieldViolations()[0].GetField()
				}
			}
			if field != tt.field {
				t.Errorf("BadRequest field %q, want %q", field, tt.field)
			}
		})
	}
	// Valid requests pass (the fake store answers).
	if _, err := ts.client.GetTimeline(ctx, &pb.GetTimelineRequest{Entity: sel, EventDateFrom: "2016-09-01", NewestFirst: true}); err != nil {
		t.Errorf("valid GetTimeline: %v", err)
	}
	if out, _, err := exportAll(ctx, ts.client, &pb.ExportGraphRequest{}); err != nil || out != "fake export\n" {
		t.Errorf("valid ExportGraph = %q, %v", out, err)
	}
	ts.serving(t)
}

// TestChunkWriter: writes of any size come out as chunks of at most exportChunkBytes,
// in order, and a failing send stops the writer.
func TestChunkWriter(t *testing.T) {
	var got []int
	var all strings.Builder
	w := &chunkWriter{send: func(b []byte) error { got = append(got, len(b)); all.Write(b); return nil }}
	in := strings.Repeat("abcdefgh", exportChunkBytes/8*2+100) // two chunks and 800 bytes
	for _, part := range []string{in[:10], in[10 : exportChunkBytes+5], in[exportChunkBytes+5:]} {
		if _, err := w.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	if all.String() != in || len(got) != 3 || got[0] != exportChunkBytes || got[1] != exportChunkBytes || got[2] != 800 {
		t.Errorf("chunks %v", got)
	}
	boom := errors.New("boom")
	w = &chunkWriter{send: func([]byte) error { return boom }}
	if _, err := w.Write(make([]byte, exportChunkBytes)); !errors.Is(err, boom) {
		t.Errorf("failing send: %v", err)
	}
}
