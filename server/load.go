package server

import (
	"context"
	"errors"
	"io"
	"sort"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// LoadArticles implements NewsGraphService.LoadArticles: it runs the stream through the
// loader pipeline (parallel extraction, batched commits) and answers with one result
// per article, in stream order, once the stream ended and every article's fate is
// sealed.
func (s *Server) LoadArticles(stream grpc.ClientStreamingServer[pb.LoadArticlesRequest, pb.LoadArticlesResponse]) (err error) {
	ctx := stream.Context()
	defer s.edge(ctx, "LoadArticles", &err)

	select {
	case s.loads <- struct{}{}:
		defer func() { <-s.loads }()
	case <-ctx.Done():
		return ctx.Err()
	}
	if s.cfg.LoadTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.LoadTimeout)
		defer cancel()
	}

	src := func(ctx context.Context, yield func(doc.Item) error) error {
		for n := 0; ; n++ {
			req, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if n >= s.cfg.MaxArticlesPerLoad {
				return status.Errorf(codes.ResourceExhausted,
					"article %d: more than %d articles in one LoadArticles call; the articles before it were loaded, send the rest in another call",
					n, s.cfg.MaxArticlesPerLoad)
			}
			if err := yield(itemFromProto(req, n, s.cfg.Limits)); err != nil {
				return err
			}
		}
	}
	var results []*pb.ArticleResult
	sum, err := s.pipe.Run(ctx, src, func(r loader.Result) {
		res := resultToProto(r)
		if r.Err != nil {
			if _, internal := rejectionReason(r); internal {
				s.log.ErrorContext(ctx, "article not stored", "origin", r.Origin, "err", r.Err)
			}
		}
		results = append(results, res)
	})
	if err != nil {
		return err
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Index < results[j].Index })
	return stream.SendAndClose(&pb.LoadArticlesResponse{Results: results, Summary: summaryToProto(sum)})
}
