package server

import (
	"context"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// The exploration RPCs: GetTimeline and ExportGraph, with their validation and
// conversions (kept together here; the shared helpers are in validate.go and
// convert.go).

// exportChunkBytes is the largest chunk ExportGraph sends.
const exportChunkBytes = 64 << 10

// GetTimeline implements NewsGraphService.GetTimeline.
func (s *Server) GetTimeline(ctx context.Context, req *pb.GetTimelineRequest) (_ *pb.GetTimelineResponse, err error) {
	defer s.edge(ctx, "GetTimeline", &err)
	if err := s.cfg.validateGetTimeline(req); err != nil {
		return nil, err
	}
	e, err := s.resolve(ctx, "entity", req.GetEntity())
	if err != nil {
		return nil, err
	}
	q := timelineQueryFromProto(req, e.ID, s.cfg.Limits)
	page, err := s.store.Timeline(ctx, q)
	if err != nil {
		return nil, err
	}
	return timelineToProto(page, q.MaxEvidence), nil
}

// ExportGraph implements NewsGraphService.ExportGraph.
func (s *Server) ExportGraph(req *pb.ExportGraphRequest, stream pb.NewsGraphService_ExportGraphServer) (err error) {
	ctx := stream.Context()
	defer s.edge(ctx, "ExportGraph", &err)
	if err := s.cfg.validateExportGraph(req); err != nil {
		return err
	}
	q := exportQueryFromProto(req, s.cfg.Limits)
	if req.GetEntity() != nil {
		e, err := s.resolve(ctx, "entity", req.GetEntity())
		if err != nil {
			return err
		}
		q.EntityID = e.ID
	}
	w := &chunkWriter{send: func(b []byte) error { return stream.Send(&pb.ExportGraphResponse{Chunk: b}) }}
	if err := s.store.Export(ctx, q, w); err != nil {
		return err
	}
	return w.flush()
}

// chunkWriter sends what is written to it in chunks of exportChunkBytes.
type chunkWriter struct {
	buf  []byte
	send func([]byte) error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), exportChunkBytes-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == exportChunkBytes {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.send(w.buf)
	w.buf = make([]byte, 0, exportChunkBytes) // the sent slice may still be read by gRPC
	return err
}

// Validation.

func (l Limits) validateGetTimeline(r *pb.GetTimelineRequest) error {
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	if err := checkDateRange("event_date_from", r.GetEventDateFrom(), "event_date_to", r.GetEventDateTo()); err != nil {
		return err
	}
	if err := l.checkPredicates("predicates", r.GetPredicates()); err != nil {
		return err
	}
	if err := checkDirection("direction", r.GetDirection()); err != nil {
		return err
	}
	if err := l.checkModalities("modalities", r.GetModalities()); err != nil {
		return err
	}
	if err := checkRange("min_sources", r.GetMinSources(), 0, l.MaxMinSources); err != nil {
		return err
	}
	if err := checkRange("max_evidence", r.GetMaxEvidence(), 0, l.MaxEvidence); err != nil {
		return err
	}
	if err := checkRange("page_size", r.GetPageSize(), 0, l.MaxPageSize); err != nil {
		return err
	}
	if len(r.GetPageToken()) > l.MaxTokenBytes {
		return invalid("page_token", "%d bytes, want at most %d (a next_page_token of a previous page)", len(r.GetPageToken()), l.MaxTokenBytes)
	}
	return nil
}

var exportFormatFromProto = map[pb.ExportFormat]graph.ExportFormat{
	pb.ExportFormat_EXPORT_FORMAT_UNSPECIFIED: graph.NQuads,
	pb.ExportFormat_EXPORT_FORMAT_NQUADS:      graph.NQuads,
	pb.ExportFormat_EXPORT_FORMAT_GRAPHML:     graph.GraphML,
	pb.ExportFormat_EXPORT_FORMAT_DOT:         graph.DOT,
}

func (l Limits) validateExportGraph(r *pb.ExportGraphRequest) error {
	f, ok := exportFormatFromProto[r.GetFormat()]
	if !ok {
		return invalid("format", "%s, want one of EXPORT_FORMAT_NQUADS, EXPORT_FORMAT_GRAPHML, EXPORT_FORMAT_DOT", r.GetFormat().String())
	}
	if r.GetFull() && f != graph.NQuads {
		return invalid("full", "true with %s, want it only with EXPORT_FORMAT_NQUADS", r.GetFormat().String())
	}
	if r.GetEntity() == nil {
		switch {
		case r.GetDepth() != 0:
			return invalid("depth", "%d without an entity, want 0 (the whole graph has no depth)", r.GetDepth())
		case r.GetMaxNodes() != 0:
			return invalid("max_nodes", "%d without an entity, want 0 (the whole graph is exported)", r.GetMaxNodes())
		case len(r.GetPredicates()) != 0:
			return invalid("predicates", "%d predicates without an entity, want none (the whole graph is exported)", len(r.GetPredicates()))
		}
		return nil
	}
	if err := l.checkSelector("entity", r.GetEntity()); err != nil {
		return err
	}
	if err := checkRange("depth", r.GetDepth(), 0, l.MaxDepth); err != nil {
		return err
	}
	if err := checkRange("max_nodes", r.GetMaxNodes(), 0, l.MaxNeighbourhoodSize); err != nil {
		return err
	}
	return l.checkPredicates("predicates", r.GetPredicates())
}

// Conversion.

func timelineQueryFromProto(r *pb.GetTimelineRequest, id string, l Limits) graph.TimelineQuery {
	var ms []graph.Modality
	for _, m := range r.GetModalities() {
		ms = append(ms, modalityFromProto[m])
	}
	return graph.TimelineQuery{
		EntityID:    id,
		From:        parseDate(r.GetEventDateFrom()),
		To:          parseDate(r.GetEventDateTo()),
		Predicates:  r.GetPredicates(),
		Direction:   directionFromProto[r.GetDirection()],
		Modalities:  ms,
		MinSources:  int(r.GetMinSources()),
		MaxEvidence: l.maxEvidence(r.GetMaxEvidence()),
		NewestFirst: r.GetNewestFirst(),
		PageSize:    orDefault(r.GetPageSize(), l.DefaultPageSize),
		PageToken:   r.GetPageToken(),
	}
}

func timelineToProto(p *graph.TimelinePage, maxEvidence int) *pb.GetTimelineResponse {
	out := &pb.GetTimelineResponse{NextPageToken: p.NextPageToken, Events: make([]*pb.TimelineEvent, len(p.Events))}
	for i, e := range p.Events {
		out.Events[i] = &pb.TimelineEvent{
			EventDate:      dateString(e.Date),
			Subject:        briefToProto(e.Subject),
			Predicate:      e.Predicate,
			Object:         briefToProto(e.Object),
			ArticleCount:   int32(e.Articles),
			SourceCount:    int32(e.Sources),
			StatementCount: int32(e.Statements),
			Evidence:       evidenceToProto(e.Evidence, maxEvidence),
		}
	}
	return out
}

// relationEventsToProto groups a relation's evidence (already converted) by event.
func relationEventsToProto(r graph.Relation, ev []*pb.Evidence) []*pb.Event {
	out := make([]*pb.Event, len(r.ByEvent))
	for i, e := range r.ByEvent {
		d := dateString(e.Date)
		pe := &pb.Event{EventDate: d, ArticleCount: int32(e.Articles), SourceCount: int32(e.Sources), StatementCount: int32(e.Statements)}
		for _, item := range ev {
			if item.GetEventDate() == d {
				pe.Evidence = append(pe.Evidence, item)
			}
		}
		out[i] = pe
	}
	return out
}

func exportQueryFromProto(r *pb.ExportGraphRequest, l Limits) graph.ExportQuery {
	q := graph.ExportQuery{Format: exportFormatFromProto[r.GetFormat()], Full: r.GetFull()}
	if r.GetEntity() != nil {
		q.Depth = orDefault(r.GetDepth(), 1)
		q.MaxNodes = orDefault(r.GetMaxNodes(), l.DefaultNeighbourhoodSize)
		q.Predicates = r.GetPredicates()
	}
	return q
}
