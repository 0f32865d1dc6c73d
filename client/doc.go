// Package client is the Go client of newsgraph's gRPC API (newsgraph.v1.NewsGraphService):
// the knowledge graph of entities, the relations between them and the sentences behind
// them that a newsgraph server builds from news articles.
//
// Dial connects to a server, with a bearer token (WithToken) and TLS (WithCAFile,
// WithClientCert for mTLS, or WithTLS) when the server asks for them; a Client is safe
// for concurrent use and is closed with Close.
//
//	c, err := client.Dial("127.0.0.1:7474", client.WithToken(os.Getenv("NEWSGRAPH_TOKEN")))
//	if err != nil { ... }
//	defer c.Close()
//	for rel, err := range c.Relations(ctx, &pb.ListRelationsRequest{Entity: client.ByName("John Kerry")}) {
//		if err != nil { ... }
//		fmt.Println(rel.GetSubject().GetName(), rel.GetPredicate(), rel.GetObject().GetName())
//	}
//
// # Messages
//
// Methods take the API's request messages (package
// github.com/newsgraph/newsgraph/proto/newsgraph/v1, imported here as pb), so that every
// field of the API is at hand, and return its messages, as Google's Cloud clients do:
// the response message of the call, except where it only wraps one value (Entity returns
// the *pb.Entity, Search the []*pb.Entity), and the items of a list one by one where the
// API pages or streams them. ByName, ByTypedName, ByID and Select make the
// EntitySelector that names an entity; FromDocument makes the LoadArticlesRequest of an
// article read by package loader/doc. A method never changes its request.
//
// # Lists, streams and iterators
//
// Relations, Between and Timeline return iterators (iter.Seq2) over every item of the
// list: they fetch the first page when the loop starts and each next page (with the
// previous page's next_page_token) when the loop reaches it, so breaking out of the loop
// fetches no more. RelationsPage, BetweenPage and TimelinePage fetch one page. StreamPaths
// and Export iterate over the messages of a server stream as they arrive; breaking out of
// the loop cancels the stream. An iterator yields (nil, err) at most once, as its last
// item, when a call fails.
//
// # Loading articles
//
// The server answers a LoadArticles call once, after the call's last article is
// committed, with one result per article. A Loader (NewLoader) sends articles in calls
// of a batch (DefaultBatch, WithBatch) so that results come back batch by batch rather
// than at the very end, and so that a client whose server went away knows which
// articles were acknowledged: the results of a call are final, the articles of a call
// that failed may or may not be stored (loading an article again is harmless: it comes
// back UNCHANGED). Load does the same over an iterator of articles and yields the
// results as each call is answered.
//
// # Errors
//
// Errors keep the gRPC status of the call: status.Code(err) is the code
// (codes.NotFound for an unknown entity, codes.InvalidArgument naming the field,
// codes.Unauthenticated without a valid token...). They are wrapped with what was asked
// ("client: relations of \"Atlantis\": rpc error: code = NotFound desc = ..."); the
// server's own status, with its unwrapped message and details, is what
// errors.As(err, &s) gives for s of type interface{ GRPCStatus() *status.Status }.
// Dial's configuration errors are *OptionError; a Loader's failed calls are *LoadError.
package client
