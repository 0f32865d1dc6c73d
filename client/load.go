package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// DefaultBatch is the number of articles a Loader sends in one LoadArticles call unless
// WithBatch says otherwise. The server answers a call only once it committed all its
// articles, so the batch bounds what a client whose server went away cannot account
// for; a call of 1,000 articles takes seconds, so the pause between calls costs little.
// The server takes at most 100,000 articles a call.
const DefaultBatch = 1000

// LoadQueuedHeader is the response header of a LoadArticles call the server queued
// because all its load slots were busy; its value is the number of slots. It is the
// server's server.LoadQueuedHeader.
const LoadQueuedHeader = "newsgraph-load-queued"

// headerWait is how long a Loader with an event function waits for a call's response
// header (which the server sends before it reads the first article) to tell whether the
// server queued the call.
const headerWait = time.Second

// FromDocument returns the request that loads the article d (as package loader/doc reads
// it from a file, a folder or JSON Lines).
func FromDocument(d doc.Document) *pb.LoadArticlesRequest {
	req := &pb.LoadArticlesRequest{Id: d.ID, Url: d.URL, Title: d.Title, Source: d.Source, Text: []byte(d.Text)}
	if !d.Published.IsZero() {
		req.Published = d.Published.UTC().Format(time.RFC3339)
	}
	return req
}

// LoadOption configures a Loader (NewLoader, Load).
type LoadOption func(*Loader)

// WithBatch sends at most n articles in one LoadArticles call (n > 0; the default is
// DefaultBatch).
func WithBatch(n int) LoadOption {
	return func(l *Loader) {
		if n > 0 {
			l.batch = n
		}
	}
}

// WithLoadEvents calls fn as a Loader opens a call and as it waits for a call's answer,
// for a progress display. fn runs in the goroutine that called Add or Flush. With it,
// the Loader waits up to a second for the response header of each call it opens, to
// tell whether the server queued the call (LoadEvent.QueuedSlots).
func WithLoadEvents(fn func(LoadEvent)) LoadOption {
	return func(l *Loader) { l.events = fn }
}

// LoadEventKind says what a LoadEvent reports.
type LoadEventKind int

const (
	// CallOpened: a LoadArticles call started; the article being added goes into it.
	CallOpened LoadEventKind = iota + 1
	// CallClosing: all the articles of a call are sent; the Loader waits for the server
	// to commit them and answer.
	CallClosing
)

// LoadEvent is a step of a Loader.
type LoadEvent struct {
	Kind LoadEventKind
	// Call is the number of the call, from 0.
	Call int
	// Articles is the number of articles sent in the call so far (with CallClosing,
	// all of them).
	Articles int
	// QueuedSlots, when above 0, says the server queued the call because all its
	// QueuedSlots load slots were busy: the call waits for one before the server reads
	// its articles.
	QueuedSlots int
}

// LoadError is a LoadArticles call of a Loader that failed. The results of the calls
// before it are final. The articles sent in it got no answer: unless Err is
// codes.Unauthenticated or codes.PermissionDenied (the server refused the call before
// reading any article), some of them may be stored; adding them again is harmless.
type LoadError struct {
	// Call is the number of the call that failed, from 0.
	Call int
	// Opening is true when the call could not be opened: nothing was sent in it.
	Opening bool
	// Article is the index (among the articles added to the Loader, from 0) of the
	// article Add was sending when the call failed, or -1 when the call failed as it
	// ended (Flush, or the Add that completed a batch).
	Article int
	// Unanswered is the number of articles sent in the call (the failing one included).
	Unanswered int
	// Err is the call's error, with its gRPC status.
	Err error
}

func (e *LoadError) Error() string {
	switch {
	case e.Opening:
		return fmt.Sprintf("client: load: opening call %d: %v", e.Call, e.Err)
	case e.Article >= 0:
		return fmt.Sprintf("client: load: call %d, sending article %d (%d articles of the call got no answer): %v", e.Call, e.Article, e.Unanswered, e.Err)
	}
	return fmt.Sprintf("client: load: call %d (%d articles got no answer): %v", e.Call, e.Unanswered, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Loader sends articles to the server's LoadArticles, in calls of at most a batch of
// articles (DefaultBatch, WithBatch), and returns each call's answer when it ends. It
// is not safe for concurrent use; a Client can run several Loaders at once (the server
// runs a few calls at once and queues the others).
type Loader struct {
	ctx    context.Context
	svc    pb.NewsGraphServiceClient
	batch  int
	events func(LoadEvent)

	// The open call, nil between calls, and what cancels it.
	stream grpc.ClientStreamingClient[pb.LoadArticlesRequest, pb.LoadArticlesResponse]
	cancel context.CancelFunc
	// With events: the open call's response header, and whether it said the call is
	// queued (QueuedSlots) once known.
	header chan metadata.MD
	queued int
	known  bool

	sent  int // articles sent in the open call
	first int // index of the open call's first article among all
	added int // articles sent, in all calls
	calls int // calls opened
	total pb.LoadSummary
}

// NewLoader returns a Loader whose calls run with ctx: when ctx is done, the open call
// fails.
func (c *Client) NewLoader(ctx context.Context, opts ...LoadOption) *Loader {
	l := &Loader{ctx: ctx, svc: c.svc, batch: DefaultBatch}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Add sends the article a in the open call, opening one if none is. When a completes
// a batch, Add ends the call and returns the server's answer: a result per article of
// the call, in the order sent, whose Index is the article's position among all the
// articles added to the Loader (not within the call), and the call's summary. Otherwise
// it returns nil, nil.
//
// A bad article (no id, empty or invalid text, too large for the server's limit on
// articles) comes back REJECTED with the reason, in the answer; a message over gRPC's
// size limits fails the call. When a call fails, Add returns a *LoadError and the next
// Add opens a new call.
func (l *Loader) Add(a *pb.LoadArticlesRequest) (*pb.LoadArticlesResponse, error) {
	if l.stream == nil {
		if err := l.open(); err != nil {
			return nil, err
		}
	}
	idx := l.added
	l.added++
	l.sent++
	if err := l.stream.Send(a); err != nil {
		// The call failed: its status comes with CloseAndRecv.
		_, rerr := l.stream.CloseAndRecv()
		if rerr == nil || errors.Is(rerr, io.EOF) {
			rerr = err
		}
		return nil, l.fail(&LoadError{Article: idx, Err: rerr})
	}
	if l.sent >= l.batch {
		return l.Flush()
	}
	return nil, nil
}

// open opens a call.
func (l *Loader) open() error {
	ctx, cancel := context.WithCancel(l.ctx)
	s, err := l.svc.LoadArticles(ctx)
	if err != nil {
		cancel()
		return &LoadError{Call: l.calls, Opening: true, Article: l.added, Err: err}
	}
	l.stream, l.cancel, l.sent, l.first = s, cancel, 0, l.added
	l.queued, l.known, l.header = 0, false, nil
	l.calls++
	if l.events != nil {
		ch := make(chan metadata.MD, 1)
		l.header = ch
		go func() {
			md, _ := s.Header() // returns at the latest when the call ends
			ch <- md
		}()
		l.waitHeader()
		l.events(LoadEvent{Kind: CallOpened, Call: l.calls - 1, QueuedSlots: l.queued})
	}
	return nil
}

// waitHeader waits up to headerWait for the open call's response header, unless it
// came already, and notes whether the server queued the call.
func (l *Loader) waitHeader() {
	if l.known || l.header == nil {
		return
	}
	select {
	case md := <-l.header:
		l.known = true
		if v := md.Get(LoadQueuedHeader); len(v) > 0 {
			if n, err := strconv.Atoi(v[0]); err == nil && n > 0 {
				l.queued = n
			}
		}
	case <-time.After(headerWait):
	}
}

// fail ends the open call after it failed with e.
func (l *Loader) fail(e *LoadError) error {
	e.Call, e.Unanswered = l.calls-1, l.sent
	l.stream = nil
	l.cancel()
	return e
}

// Flush ends the open call, if any, and returns the server's answer (as Add does when a
// batch is complete); with no open call it returns nil, nil.
func (l *Loader) Flush() (*pb.LoadArticlesResponse, error) {
	if l.stream == nil {
		return nil, nil
	}
	if l.events != nil {
		l.waitHeader()
		l.events(LoadEvent{Kind: CallClosing, Call: l.calls - 1, Articles: l.sent, QueuedSlots: l.queued})
	}
	// The server answers once it committed every article of the call.
	resp, err := l.stream.CloseAndRecv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("LoadArticles ended without an answer")
		}
		return nil, l.fail(&LoadError{Article: -1, Err: err})
	}
	l.stream = nil
	l.cancel()
	for _, r := range resp.GetResults() {
		r.Index += int32(l.first)
	}
	l.count(resp.GetSummary())
	return resp, nil
}

// count adds a call's summary to the total.
func (l *Loader) count(s *pb.LoadSummary) {
	t := &l.total
	t.Articles += s.GetArticles()
	t.Stored += s.GetStored()
	t.Replaced += s.GetReplaced()
	t.Unchanged += s.GetUnchanged()
	t.Rejected += s.GetRejected()
	t.Entities += s.GetEntities()
	t.Statements += s.GetStatements()
	t.QuadsAdded += s.GetQuadsAdded()
	t.QuadsRemoved += s.GetQuadsRemoved()
	t.Elapsed = durationpb.New(t.GetElapsed().AsDuration() + s.GetElapsed().AsDuration())
}

// Close cancels the open call, if any: its articles may or may not be stored. It is
// what to defer; a Loader whose articles all went out ends with Flush.
func (l *Loader) Close() {
	if l.stream != nil {
		l.stream = nil
		l.cancel()
	}
}

// Calls returns the number of calls the Loader opened.
func (l *Loader) Calls() int { return l.calls }

// Summary returns the sum of the summaries of the calls answered so far (Elapsed the
// server's time over all of them).
func (l *Loader) Summary() *pb.LoadSummary {
	t := &l.total
	return &pb.LoadSummary{
		Articles: t.Articles, Stored: t.Stored, Replaced: t.Replaced, Unchanged: t.Unchanged,
		Rejected: t.Rejected, Entities: t.Entities, Statements: t.Statements,
		QuadsAdded: t.QuadsAdded, QuadsRemoved: t.QuadsRemoved, Elapsed: t.GetElapsed(),
	}
}

// Load sends articles to the server in LoadArticles calls of a batch (DefaultBatch,
// WithBatch) and yields the result of each article (index in articles, id, status,
// reason, counts) as the call that carried it is answered: results come batch by batch,
// in the order of articles, never before their articles are committed. A failed call
// ends the iteration with a *LoadError; breaking out of the loop stops reading
// articles, and a call already open then is cancelled (its articles may or may not be
// stored; loading them again is harmless).
func (c *Client) Load(ctx context.Context, articles iter.Seq[*pb.LoadArticlesRequest], opts ...LoadOption) iter.Seq2[*pb.ArticleResult, error] {
	return func(yield func(*pb.ArticleResult, error) bool) {
		l := c.NewLoader(ctx, opts...)
		defer l.Close()
		emit := func(resp *pb.LoadArticlesResponse, err error) bool {
			if err != nil {
				yield(nil, err)
				return false
			}
			for _, r := range resp.GetResults() {
				if !yield(r, nil) {
					return false
				}
			}
			return true
		}
		for a := range articles {
			if !emit(l.Add(a)) {
				return
			}
		}
		emit(l.Flush())
	}
}
