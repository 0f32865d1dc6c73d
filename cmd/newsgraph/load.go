package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/client"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

func runLoad(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "load", "load [flags] PATH... (or - for standard input)",
		"Reads articles from files (.txt: one article; .jsonl/.ndjson: JSON Lines with\n"+
			"id, url, title, published, source, text), folders (recursively) or standard input,\n"+
			"streams them to the server's LoadArticles (one call per --batch articles), shows\n"+
			"progress (a bar with rate and ETA on a terminal, a line every --every articles\n"+
			"otherwise), prints one line per article (status, id, reason), the totals, the\n"+
			"most frequent rejection reasons and what the store holds. The server answers a\n"+
			"call once it committed all its articles: if the connection fails (the server\n"+
			"went away), the totals count the articles of the calls answered before, the\n"+
			"articles of the unfinished call may or may not be stored, and loading the same\n"+
			"input again is safe (stored articles come back unchanged). --acked FILE appends\n"+
			"each acknowledged article to FILE as it is answered. Exits 1 if any article was\n"+
			"rejected or the load did not finish.")
	addr := fs.String("addr", defaultAddr, "server address, host:port")
	cf := addConnFlags(fs)
	batch := fs.Int("batch", defaultLoadBatch, "articles per LoadArticles call (the server takes up to 100,000 per call); the server acknowledges a call's articles when it ends")
	every := fs.Int("every", 1000, "without a terminal, print a progress line every this many articles")
	quiet := fs.Bool("quiet", false, "print only rejected articles and the totals")
	maxBytes := fs.Int("max-bytes", doc.DefaultMaxBytes, "largest article text in bytes; larger articles are rejected")
	timeout := fs.Duration("timeout", 0, "give up after this long (0: no limit)")
	ackedPath := fs.String("acked", "", "append every article the server acknowledged (stored, replaced or unchanged) to this file as a JSON line {id,status,entities,statements}, as each call is answered")
	paths, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	switch {
	case len(paths) == 0:
		return usageError(fs, "no PATH given, want files, folders or - for standard input")
	case *batch <= 0:
		return usageError(fs, "--batch: %d, want > 0", *batch)
	case *every <= 0:
		return usageError(fs, "--every: %d, want > 0", *every)
	case *maxBytes <= 0:
		return usageError(fs, "--max-bytes: %d, want > 0", *maxBytes)
	case *timeout < 0:
		return usageError(fs, "--timeout: %v, want >= 0", *timeout)
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	c, err := cf.dial(*addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph load: %v\n", err)
		return exitFail
	}
	defer c.Close()

	l := &loadRun{ctx: ctx, client: c, out: e.stdout, quiet: *quiet, maxBytes: *maxBytes, start: time.Now()}
	l.loader = c.NewLoader(ctx, client.WithBatch(*batch), client.WithLoadEvents(l.event))
	defer l.loader.Close()
	if *ackedPath != "" {
		f, err := os.OpenFile(*ackedPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph load: --acked: %v\n", err)
			return exitFail
		}
		defer f.Close()
		l.acked = bufio.NewWriter(f)
		l.ackedName = *ackedPath
	}
	l.progress = newProgress(e.stderr, e.terminal, countArticles(paths), *every, "sending",
		plainProgressLine(e.stderr, "sent"), func(msg string) { fmt.Fprintln(e.stderr, "load: "+msg) })
	reader := doc.Reader{MaxBytes: *maxBytes, Stdin: e.stdin}
	err = reader.Walk(ctx, paths, l.add)
	if err == nil {
		err = l.answered(l.loader.Flush())
	}
	l.progress.finish()
	l.printTotals()
	if err == nil {
		l.printStore()
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "newsgraph load: "+l.failure(*addr, err))
		return exitFail
	}
	if l.total.Rejected > 0 {
		return exitFail
	}
	return exitOK
}

// loadRun streams articles to LoadArticles with a client.Loader, one call per batch.
type loadRun struct {
	ctx      context.Context
	client   *client.Client
	loader   *client.Loader
	out      io.Writer
	quiet    bool
	maxBytes int // --max-bytes
	progress progress
	start    time.Time

	sent    []sentArticle // the articles sent in the open (or failed) call
	base    int           // the loader's index of sent[0]: articles sent in the calls before
	read    int           // articles read from the input, rejected ones included
	total   pb.LoadSummary
	reasons reasonCounts // rejections by reason

	acked     *bufio.Writer // --acked file, nil without
	ackedName string
	unacked   int // articles sent in the call that failed, without an answer
}

// defaultLoadBatch is load's default --batch (see client.DefaultBatch).
const defaultLoadBatch = client.DefaultBatch

// sentArticle is an article sent in a LoadArticles call, as a failure names it.
type sentArticle struct {
	input  int    // index in the input (from 0), the articles rejected when read included
	id     string // its id
	origin string // where it was read: "path", "path:line" or "stdin:line"
	bytes  int    // size of its LoadArticlesRequest message
}

// String names the article: its index in the input, its id and where it was read.
func (a sentArticle) String() string {
	s := fmt.Sprintf("article %d of the input (id %q", a.input, a.id)
	if a.origin != "" {
		s += ", " + a.origin
	}
	return s + ")"
}

// add sends one article, or reports it rejected when it could not be read.
func (l *loadRun) add(it doc.Item) error {
	l.progress.add(1)
	l.read++
	if it.Err != nil {
		id := it.Doc.ID
		if id == "" {
			id = it.Doc.Origin
		}
		l.countReason(it.Doc.Origin, it.Err.Error())
		l.report(&pb.ArticleResult{ArticleId: id, Status: pb.ArticleStatus_ARTICLE_STATUS_REJECTED, Reason: it.Err.Error()}, "")
		l.total.Articles++
		l.total.Rejected++
		return nil
	}
	d := it.Doc
	req := client.FromDocument(d)
	l.sent = append(l.sent, sentArticle{input: l.read - 1, id: d.ID, origin: d.Origin, bytes: proto.Size(req)})
	resp, err := l.loader.Add(req)
	var le *client.LoadError
	if errors.As(err, &le) && le.Article >= 0 {
		l.unacked = le.Unanswered
		if le.Opening {
			return &loadCallError{opening: true, err: le.Err}
		}
		return &loadCallError{origin: d.Origin, err: le.Err}
	}
	return l.answered(resp, err)
}

// event shows what the loader does in the progress display: sending the articles of
// a call, waiting for the server to commit them, and whether the server queued it.
func (l *loadRun) event(ev client.LoadEvent) {
	queued := ""
	if ev.QueuedSlots > 0 {
		queued = fmt.Sprintf("queued: all %d load slots of the server were busy when the call started, it waits for one", ev.QueuedSlots)
	}
	switch ev.Kind {
	case client.CallOpened:
		if ev.Call > 0 {
			l.progress.describe("sending")
		}
		if queued != "" {
			l.progress.describe(queued)
		}
	case client.CallClosing:
		msg := fmt.Sprintf("waiting for the server to commit the %d articles sent", ev.Articles)
		if queued != "" {
			msg = queued + "; then " + msg
		}
		l.progress.describe(msg)
	}
}

// answered reports the results of a call the loader ended (Add with a batch complete,
// or Flush): nil, nil when it ended none.
func (l *loadRun) answered(resp *pb.LoadArticlesResponse, err error) error {
	var le *client.LoadError
	if errors.As(err, &le) {
		l.unacked = le.Unanswered
		return &loadCallError{err: le.Err}
	}
	if err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	l.progress.clear()
	for _, r := range resp.GetResults() {
		origin := ""
		if i := int(r.GetIndex()) - l.base; i >= 0 && i < len(l.sent) {
			origin = l.sent[i].origin
		}
		if r.GetStatus() == pb.ArticleStatus_ARTICLE_STATUS_REJECTED {
			l.countReason(origin, r.GetReason())
		}
		l.report(r, origin)
		l.ack(r)
	}
	l.base += len(l.sent)
	l.sent = l.sent[:0]
	if l.acked != nil {
		if err := l.acked.Flush(); err != nil {
			return fmt.Errorf("--acked %s: %w", l.ackedName, err)
		}
	}
	s := resp.GetSummary()
	l.total.Articles += s.GetArticles()
	l.total.Stored += s.GetStored()
	l.total.Replaced += s.GetReplaced()
	l.total.Unchanged += s.GetUnchanged()
	l.total.Rejected += s.GetRejected()
	l.total.Entities += s.GetEntities()
	l.total.Statements += s.GetStatements()
	l.total.QuadsAdded += s.GetQuadsAdded()
	l.total.QuadsRemoved += s.GetQuadsRemoved()
	return nil
}

// ack records an acknowledged article in the --acked file.
func (l *loadRun) ack(r *pb.ArticleResult) {
	if l.acked == nil || r.GetStatus() == pb.ArticleStatus_ARTICLE_STATUS_REJECTED {
		return
	}
	line, _ := json.Marshal(ackedArticle{ID: r.GetArticleId(), Status: statusWord(r.GetStatus()), Entities: r.GetEntities(), Statements: r.GetStatements()})
	l.acked.Write(append(line, '\n'))
}

// ackedArticle is one line of the --acked file.
type ackedArticle struct {
	ID         string `json:"id"`
	Status     string `json:"status"` // stored, replaced or unchanged
	Entities   int32  `json:"entities"`
	Statements int32  `json:"statements"`
}

// loadCallError is a LoadArticles call that failed.
type loadCallError struct {
	opening bool   // the call could not be opened
	origin  string // the article whose sending failed, if any
	err     error
}

func (e *loadCallError) Error() string {
	if e.origin != "" {
		return fmt.Sprintf("LoadArticles, sending %s: %v", e.origin, e.err)
	}
	return fmt.Sprintf("LoadArticles: %v", e.err)
}

func (e *loadCallError) Unwrap() error { return e.err }

// failure says why the load stopped and what the server acknowledged before: the
// articles the totals count are stored; those of the call that failed may or may not
// be.
//
// A call the server refused for its token (Unauthenticated, PermissionDenied) read no
// article, so none of it is stored; a message over a size limit is named: the
// article, its size and the limit.
func (l *loadRun) failure(addr string, err error) string {
	var ce *loadCallError
	isCall := errors.As(err, &ce)
	acked := l.total.Stored + l.total.Replaced + l.total.Unchanged
	if isCall {
		switch code := status.Code(ce.err); code {
		case codes.Unauthenticated, codes.PermissionDenied:
			msg := rpcError(ce.err) + ": the server refused the call before reading any article"
			if l.unacked > 0 {
				msg += fmt.Sprintf(", so none of the %d sent in it is stored", l.unacked)
			}
			if l.loader.Calls() > 1 {
				msg += fmt.Sprintf("; %d articles acknowledged by the calls before (%d stored, %d replaced, %d unchanged)",
					acked, l.total.Stored, l.total.Replaced, l.total.Unchanged)
			}
			return msg
		case codes.ResourceExhausted:
			if m := l.oversized(ce.err); m != "" {
				return fmt.Sprintf("%s; %d articles acknowledged by the calls before (%d stored, %d replaced, %d unchanged); "+
					"%d articles sent in the unfinished call got no answer: those before the refused one may be stored, load the same input again to be sure (stored articles come back unchanged)",
					m, acked, l.total.Stored, l.total.Replaced, l.total.Unchanged, l.unacked)
			}
		}
	}
	what := fmt.Sprintf("%d articles acknowledged before the connection failed (%d stored, %d replaced, %d unchanged)",
		acked, l.total.Stored, l.total.Replaced, l.total.Unchanged)
	if l.unacked > 0 {
		what += fmt.Sprintf("; %d articles sent in the unfinished call got no answer: some may be stored, load the same input again to be sure (stored articles come back unchanged)", l.unacked)
	}
	switch {
	case !isCall:
		if acked > 0 || l.unacked > 0 {
			return fmt.Sprintf("%s; %s", rpcError(err), what)
		}
		return rpcError(err)
	case status.Code(ce.err) == codes.Unavailable && ce.opening && l.loader.Calls() == 0:
		return fmt.Sprintf("cannot reach the server at %s: %s", addr, rpcError(ce.err))
	case status.Code(ce.err) == codes.Unavailable:
		return fmt.Sprintf("the server at %s went away (%s): %s", addr, rpcError(ce.err), what)
	case status.Code(ce.err) == codes.Canceled || errors.Is(ce.err, context.Canceled):
		return fmt.Sprintf("interrupted: %s", what)
	}
	return fmt.Sprintf("%s: %s", rpcError(ce.err), what)
}

// messageTooLarge is gRPC's refusal of a message over a size limit, by the server
// ("received": its MaxRecvMsgBytes) or by the client ("trying to send").
var messageTooLarge = regexp.MustCompile(`grpc: (received|trying to send) message larger than max \((\d+) vs\. (\d+)\)`)

// oversized names the article of the failed call whose message went over a size limit
// and the limit, or returns "" when err is no such refusal. The article is the one
// whose message has the size gRPC names, else the first over the limit.
func (l *loadRun) oversized(err error) string {
	m := messageTooLarge.FindStringSubmatch(status.Convert(err).Message())
	if m == nil {
		return ""
	}
	size, _ := strconv.Atoi(m[2])
	limit, _ := strconv.Atoi(m[3])
	whose := "the server's"
	if m[1] == "trying to send" {
		whose = "the client's"
	}
	var culprit *sentArticle
	for i := range l.sent {
		if l.sent[i].bytes == size {
			culprit = &l.sent[i]
			break
		}
	}
	for i := 0; culprit == nil && i < len(l.sent); i++ {
		if l.sent[i].bytes > limit {
			culprit = &l.sent[i]
		}
	}
	who := fmt.Sprintf("an article of the %d sent in the call", len(l.sent))
	if culprit != nil {
		who = culprit.String()
	}
	return fmt.Sprintf("LoadArticles: %s is a message of %d bytes, over %s limit of %d bytes (%s): the call ended there; "+
		"give --max-bytes (now %d) below the limit, less the other fields, so that load rejects such an article itself and sends the others",
		who, size, whose, limit, rpcError(err), l.maxBytes)
}

// countReason counts a rejection for the summary.
func (l *loadRun) countReason(origin, reason string) {
	if l.reasons == nil {
		l.reasons = reasonCounts{}
	}
	l.reasons.add(origin, reason)
}

// statusWord is how a status reads in the per-article lines.
func statusWord(s pb.ArticleStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "ARTICLE_STATUS_"))
}

// report prints one article's line: status, id, and for a rejected article where it
// was read from and why.
func (l *loadRun) report(r *pb.ArticleResult, origin string) {
	rejected := r.GetStatus() == pb.ArticleStatus_ARTICLE_STATUS_REJECTED
	if l.quiet && !rejected {
		return
	}
	line := fmt.Sprintf("%-9s  %s", statusWord(r.GetStatus()), r.GetArticleId())
	if rejected {
		if origin != "" && origin != r.GetArticleId() {
			line += "  (" + origin + ")"
		}
		line += "  " + r.GetReason()
	} else if !l.quiet {
		line += fmt.Sprintf("  (%d entities, %d statements)", r.GetEntities(), r.GetStatements())
	}
	fmt.Fprintln(l.out, line)
}

func (l *loadRun) printTotals() {
	t := &l.total
	el := time.Since(l.start)
	fmt.Fprintf(l.out, "total: %d articles: %d stored, %d replaced, %d unchanged, %d rejected; %d entities, %d statements; %d quads added, %d removed; %s (%.0f articles/s)\n",
		t.Articles, t.Stored, t.Replaced, t.Unchanged, t.Rejected, t.Entities, t.Statements,
		t.QuadsAdded, t.QuadsRemoved, el.Round(time.Millisecond), float64(t.Articles)/el.Seconds())
	if len(l.reasons) > 0 {
		fmt.Fprintln(l.out, "rejections by reason:")
		for _, r := range l.reasons.top(10) {
			fmt.Fprintln(l.out, "  "+r)
		}
	}
}

// printStore prints what the store holds after the load.
func (l *loadRun) printStore() {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	st, err := l.client.Stats(ctx)
	if err != nil {
		return // the load itself went through; the counts are a courtesy
	}
	fmt.Fprintf(l.out, "store: %d articles, %d entities, %d relations, %d statements, %d quads\n",
		st.GetArticles(), st.GetEntities(), st.GetRelations(), st.GetStatements(), st.GetQuads())
}
