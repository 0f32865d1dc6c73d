package main

import (
	"fmt"
	"io"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// printText prints an answer for people.
func printText(w io.Writer, m proto.Message) {
	switch r := m.(type) {
	case *pb.GetEntityResponse:
		printEntity(w, r.GetEntity())
	case *pb.SearchEntitiesResponse:
		if len(r.GetEntities()) == 0 {
			fmt.Fprintln(w, "no entity found")
		}
		for _, e := range r.GetEntities() {
			fmt.Fprintf(w, "%-40s %-12s %s  (%s)\n", e.GetName(), typeWord(e.GetType()), e.GetId(), plural(e.GetMentions(), "article"))
		}
	case *pb.ListRelationsResponse:
		printRelations(w, r.GetRelations(), r.GetNextPageToken())
	case *pb.GetRelationsBetweenResponse:
		printRelations(w, r.GetRelations(), r.GetNextPageToken())
	case *pb.FindPathsResponse:
		printPaths(w, r.GetPaths())
		if r.GetTruncated() {
			fmt.Fprintln(w, "(truncated: the search stopped at its node budget; raise --max-nodes for more paths)")
		}
	case *pb.GetNeighbourhoodResponse:
		printNeighbourhood(w, r)
	case *pb.GetTimelineResponse:
		printTimeline(w, r)
	case *pb.GetStatsResponse:
		fmt.Fprintf(w, "articles:   %d\nentities:   %d\nrelations:  %d\nstatements: %d\nquads:      %d\n",
			r.GetArticles(), r.GetEntities(), r.GetRelations(), r.GetStatements(), r.GetQuads())
	default:
		b, _ := protojson.MarshalOptions{Multiline: true}.Marshal(m)
		fmt.Fprintf(w, "%s\n", b)
	}
}

func typeWord(t pb.EntityType) string {
	return strings.ToLower(strings.TrimPrefix(t.String(), "ENTITY_TYPE_"))
}

func modalityWord(m pb.Modality) string {
	return strings.ToLower(strings.TrimPrefix(m.String(), "MODALITY_"))
}

func plural[N int32 | int64 | int](n N, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func printEntity(w io.Writer, e *pb.Entity) {
	fmt.Fprintf(w, "%s (%s)\n  id:       %s\n", e.GetName(), typeWord(e.GetType()), e.GetId())
	if len(e.GetAliases()) > 0 {
		fmt.Fprintf(w, "  aliases:  %s\n", strings.Join(e.GetAliases(), ", "))
	}
	fmt.Fprintf(w, "  mentions: %s\n", plural(e.GetMentions(), "article"))
}

func printRelations(w io.Writer, rs []*pb.Relation, next string) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "no relation found")
	}
	for _, r := range rs {
		fmt.Fprintf(w, "%s --%s--> %s   [%s, %s, %s]\n",
			r.GetSubject().GetName(), r.GetPredicate(), r.GetObject().GetName(),
			plural(r.GetArticleCount(), "article"), plural(r.GetSourceCount(), "source"), plural(r.GetEventCount(), "event"))
		printEvidence(w, "    ", r.GetEvidence())
	}
	if next != "" {
		fmt.Fprintf(w, "more: --page-token %s\n", next)
	}
}

func printEvidence(w io.Writer, indent string, ev []*pb.Evidence) {
	for _, e := range ev {
		date := e.GetEventDate()
		if date == "" {
			date = "????-??-??"
		}
		extra := ""
		if e.GetSpeaker() != "" {
			extra += ", said by " + e.GetSpeaker()
		}
		if e.GetRole() != "" {
			extra += ", role " + e.GetRole()
		}
		fmt.Fprintf(w, "%s%s  %s %.2f%s  %s [%d:%d]\n%s    %q\n", indent, date, modalityWord(e.GetModality()), e.GetConfidence(), extra,
			e.GetArticleId(), e.GetStartOffset(), e.GetEndOffset(), indent, e.GetSentence())
	}
}

func printPaths(w io.Writer, ps []*pb.Path) {
	if len(ps) == 0 {
		fmt.Fprintln(w, "no path found")
	}
	for i, p := range ps {
		printPath(w, i+1, p)
	}
}

func printPath(w io.Writer, n int, p *pb.Path) {
	fmt.Fprintf(w, "path %d (%s)\n", n, plural(len(p.GetHops()), "hop"))
	for _, h := range p.GetHops() {
		if h.GetForward() {
			fmt.Fprintf(w, "  %s --%s--> %s\n", h.GetFrom().GetName(), h.GetPredicate(), h.GetTo().GetName())
		} else {
			fmt.Fprintf(w, "  %s <--%s-- %s\n", h.GetFrom().GetName(), h.GetPredicate(), h.GetTo().GetName())
		}
		printEvidence(w, "      ", h.GetEvidence())
	}
}

// streamPrinter prints the messages of a streamed answer for people as they come.
type streamPrinter struct {
	w     io.Writer
	paths int
}

func (p *streamPrinter) print(m proto.Message) {
	switch r := m.(type) {
	case *pb.StreamPathsResponse:
		if r.GetPath() != nil {
			p.paths++
			printPath(p.w, p.paths, r.GetPath())
		}
		if r.GetTruncated() {
			fmt.Fprintln(p.w, "(truncated: the search stopped at its node budget; raise --max-nodes for more paths)")
		}
	default:
		printText(p.w, m)
	}
}

// finish ends a streamed answer: a stream of paths without any says so.
func (p *streamPrinter) finish() {
	if p.paths == 0 {
		fmt.Fprintln(p.w, "no path found")
	}
}

func printNeighbourhood(w io.Writer, r *pb.GetNeighbourhoodResponse) {
	names := map[string]string{}
	fmt.Fprintf(w, "nodes (%d):\n", len(r.GetNodes()))
	for _, n := range r.GetNodes() {
		names[n.GetId()] = n.GetName()
		fmt.Fprintf(w, "  %-40s %-12s %s\n", n.GetName(), typeWord(n.GetType()), n.GetId())
	}
	fmt.Fprintf(w, "edges (%d):\n", len(r.GetEdges()))
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
	for _, e := range r.GetEdges() {
		fmt.Fprintf(w, "  %s --%s--> %s\n", name(e.GetSubjectId()), e.GetPredicate(), name(e.GetObjectId()))
	}
	if r.GetTruncated() {
		fmt.Fprintln(w, "(truncated: raise --max-nodes or lower --depth for the whole neighbourhood)")
	}
}

func printTimeline(w io.Writer, r *pb.GetTimelineResponse) {
	if len(r.GetEvents()) == 0 {
		fmt.Fprintln(w, "no event found")
	}
	for _, e := range r.GetEvents() {
		date := e.GetEventDate()
		if date == "" {
			date = "undated   "
		}
		fmt.Fprintf(w, "%s  %s --%s--> %s   [%s, %s]\n", date,
			e.GetSubject().GetName(), e.GetPredicate(), e.GetObject().GetName(),
			plural(e.GetArticleCount(), "article"), plural(e.GetSourceCount(), "source"))
		printEvidence(w, "    ", e.GetEvidence())
	}
	if next := r.GetNextPageToken(); next != "" {
		fmt.Fprintf(w, "more: --page-token %s\n", next)
	}
}
