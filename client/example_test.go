package client_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/newsgraph/newsgraph/client"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// The examples call the server TestMain started at serverAddr (127.0.0.1:7474 for
// newsgraph serve), which holds the article of examples/articles.

// Whom did the United States warn, and which sentence says so? (The README's "Go
// client" shows this example as a program.)
func Example() {
	ctx := context.Background()
	c, err := client.Dial(serverAddr, client.WithToken(os.Getenv("NEWSGRAPH_TOKEN")))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &pb.ListRelationsRequest{Entity: client.ByName("United States"), Predicates: []string{"warned"}}
	for rel, err := range c.Relations(ctx, req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s --%s--> %s\n", rel.GetSubject().GetName(), rel.GetPredicate(), rel.GetObject().GetName())
		for _, ev := range rel.GetEvidence() {
			fmt.Printf("  %s: %s\n", ev.GetEventDate(), ev.GetSentence())
		}
	}
	// Output:
	// United States --warned--> Russia
	//   2016-09-28: The US has warned that it could end talks with Russia on the Syrian conflict unless Moscow ends its bombing of rebel-held eastern Aleppo.
}

// Dial a server with a token and TLS: WithCAFile verifies a certificate of a private
// CA, WithClientCert presents a client certificate (mTLS). Without TLS options the
// connection is plaintext, and a token goes only to a loopback address.
func ExampleDial() {
	var opts []client.Option
	if token := os.Getenv("NEWSGRAPH_TOKEN"); token != "" {
		opts = append(opts, client.WithToken(token))
	}
	if ca := os.Getenv("NEWSGRAPH_TLS_CA"); ca != "" {
		opts = append(opts, client.WithCAFile(ca))
	}
	c, err := client.Dial(serverAddr, opts...)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	st, err := c.Stats(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("articles:", st.GetArticles())
	// Output:
	// articles: 1
}

func ExampleClient_Entity() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	e, err := c.Entity(context.Background(), client.ByID("ng:e/person/john_kerry"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.GetName(), e.GetType(), e.GetMentions())
	// Output:
	// John Kerry ENTITY_TYPE_PERSON 1
}

func ExampleClient_Search() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// A misspelt name, found by a fuzzy search.
	found, err := c.Search(context.Background(), &pb.SearchEntitiesRequest{
		Query: "Sergei Lavrov",
		Mode:  pb.SearchMode_SEARCH_MODE_FUZZY,
		Types: []pb.EntityType{pb.EntityType_ENTITY_TYPE_PERSON},
		Limit: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range found {
		fmt.Println(e.GetName(), e.GetId())
	}
	// Output:
	// Sergey Lavrov ng:e/person/sergey_lavrov
}

// Relations fetches the pages as the loop reaches them: here one relation a call.
func ExampleClient_Relations() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &pb.ListRelationsRequest{
		Entity:     client.ByTypedName("John Kerry", pb.EntityType_ENTITY_TYPE_PERSON),
		Predicates: []string{"met", "warned"},
		Direction:  pb.Direction_DIRECTION_OUTGOING,
		PageSize:   1,
	}
	for rel, err := range c.Relations(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s --%s--> %s (%d articles)\n", rel.GetSubject().GetName(), rel.GetPredicate(),
			rel.GetObject().GetName(), rel.GetArticleCount())
	}
	// Output:
	// John Kerry --met--> Sergey Lavrov (1 articles)
	// John Kerry --warned--> Sergey Lavrov (1 articles)
}

// StreamPaths yields each path as soon as the server finds it, shortest first.
func ExampleClient_StreamPaths() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &pb.FindPathsRequest{From: client.ByName("John Kerry"), To: client.ByName("Russia"), K: 2}
	n := 0
	for m, err := range c.StreamPaths(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		if m.GetTruncated() {
			fmt.Println("(the search stopped at a limit: there may be more paths)")
			continue
		}
		n++
		fmt.Printf("path %d:\n", n)
		for _, h := range m.GetPath().GetHops() {
			fmt.Printf("  %s --%s--> %s\n", h.GetFrom().GetName(), h.GetPredicate(), h.GetTo().GetName())
		}
	}
	// Output:
	// path 1:
	//   John Kerry --met--> Sergey Lavrov
	//   Sergey Lavrov --holds_role--> Russia
	// path 2:
	//   John Kerry --warned--> Sergey Lavrov
	//   Sergey Lavrov --holds_role--> Russia
}

func ExampleClient_Timeline() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &pb.GetTimelineRequest{Entity: client.ByName("John Kerry"), Predicates: []string{"met"}}
	for ev, err := range c.Timeline(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.GetEventDate(), ev.GetSubject().GetName(), ev.GetPredicate(), ev.GetObject().GetName())
	}
	// Output:
	// 2016-09-28 John Kerry met Sergey Lavrov
}

// Load yields every article's result once the call that carried it is answered. The
// example article is stored already, so it comes back unchanged; an article without
// text is rejected with the reason, and stops nothing.
func ExampleClient_Load() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	articles, err := readArticles("../examples/articles")
	if err != nil {
		log.Fatal(err)
	}
	articles = append(articles, &pb.LoadArticlesRequest{Id: "empty", Title: "No story"})
	for r, err := range c.Load(context.Background(), slices.Values(articles)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.GetIndex(), r.GetArticleId(), r.GetStatus())
		if r.GetStatus() == pb.ArticleStatus_ARTICLE_STATUS_REJECTED {
			fmt.Println("  because", r.GetReason())
		}
	}
	// Output:
	// 0 2016-09-28-us-threatens-to-end-syria-talks ARTICLE_STATUS_UNCHANGED
	// 1 empty ARTICLE_STATUS_REJECTED
	//   because article 1 (id "empty"): invalid article: text is empty
}

// A Loader takes articles one by one (as a reader hands them over) and answers each
// batch as its call ends.
func ExampleLoader() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	articles, err := readArticles("../examples/articles")
	if err != nil {
		log.Fatal(err)
	}
	l := c.NewLoader(context.Background(), client.WithBatch(100))
	defer l.Close()
	for _, a := range articles {
		resp, err := l.Add(a) // a batch's answer when a completes one, else nil
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("answered:", len(resp.GetResults()))
	}
	resp, err := l.Flush() // the last batch
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("answered:", len(resp.GetResults()))
	s := l.Summary()
	fmt.Printf("%d articles: %d stored, %d unchanged, %d rejected\n", s.GetArticles(), s.GetStored(), s.GetUnchanged(), s.GetRejected())
	// Output:
	// answered: 0
	// answered: 1
	// 1 articles: 0 stored, 1 unchanged, 0 rejected
}

// ExportTo writes an export to a file (here a buffer): the neighbourhood of John Kerry
// along "met" edges, in N-Quads, printed without the aliases.
func ExampleClient_ExportTo() {
	c, err := client.Dial(serverAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &pb.ExportGraphRequest{
		Format:     pb.ExportFormat_EXPORT_FORMAT_NQUADS,
		Entity:     client.ByName("John Kerry"),
		Predicates: []string{"met"},
	}
	var buf bytes.Buffer
	if _, err := c.ExportTo(context.Background(), &buf, req); err != nil {
		log.Fatal(err)
	}
	for line := range strings.Lines(buf.String()) {
		if !strings.Contains(line, "<ng:alias>") {
			fmt.Print(line)
		}
	}
	// Output:
	// <ng:e/person/john_kerry> <ng:type> "person" .
	// <ng:e/person/john_kerry> <ng:name> "John Kerry" .
	// <ng:e/person/sergey_lavrov> <ng:type> "person" .
	// <ng:e/person/sergey_lavrov> <ng:name> "Sergey Lavrov" .
	// <ng:e/person/john_kerry> <ng:rel/met> <ng:e/person/sergey_lavrov> .
}
