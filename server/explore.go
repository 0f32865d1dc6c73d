package server

import (
	"context"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// The exploration RPCs: GetTimeline and ExportGraph (their validation is in
// validate.go, their conversions in convert.go, with the other RPCs').

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
		return nil, pageTokenError(req.GetPageToken(), err)
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
