package server

import (
	"context"
	"io"
	"sync"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// fakeStore is a graph.Store for fault injection: it knows a few entities, stores
// articles by id and hash, and fails every call with err when err is set.
type fakeStore struct {
	mu       sync.Mutex
	err      error
	entities []graph.Entity
	articles map[string]string // id → hash
	panics   bool              // Stats panics
	lastRel  graph.RelationQuery
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		entities: []graph.Entity{
			{ID: "ng:e/state/united_states", Type: graph.State, Name: "United States", Aliases: []string{"US"}, Mentions: 3},
			{ID: "ng:e/person/john_kerry", Type: graph.Person, Name: "John Kerry", Mentions: 2},
			{ID: "ng:e/organisation/united_states", Type: graph.Organisation, Name: "United States", Mentions: 1},
		},
		articles: map[string]string{},
	}
}

func (f *fakeStore) fail() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeStore) PutArticles(ctx context.Context, as []*graph.Article) ([]graph.PutResult, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	res := make([]graph.PutResult, len(as))
	for i, a := range as {
		st := graph.Stored
		if h, ok := f.articles[a.ID]; ok {
			st = graph.Replaced
			if h == a.Hash {
				st = graph.Unchanged
			}
		}
		f.articles[a.ID] = a.Hash
		res[i] = graph.PutResult{ArticleID: a.ID, Status: st, Added: 1}
	}
	return res, nil
}

func (f *fakeStore) DeleteArticle(ctx context.Context, id string) (int, error) {
	if err := f.fail(); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.articles[id]; !ok {
		return 0, graph.ErrNotFound
	}
	delete(f.articles, id)
	return 1, nil
}

func (f *fakeStore) Article(ctx context.Context, id string) (*graph.ArticleInfo, error) {
	return nil, graph.ErrNotFound
}

func (f *fakeStore) Entity(ctx context.Context, id string) (*graph.Entity, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	for _, e := range f.entities {
		if e.ID == id {
			return &e, nil
		}
	}
	return nil, graph.ErrNotFound
}

func (f *fakeStore) SearchEntities(ctx context.Context, q graph.SearchQuery) ([]graph.Entity, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	var out []graph.Entity
	for _, e := range f.entities {
		if e.Name != q.Text {
			continue
		}
		if len(q.Types) > 0 && q.Types[0] != e.Type {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

func (f *fakeStore) Relations(ctx context.Context, q graph.RelationQuery) (*graph.RelationPage, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.lastRel = q
	f.mu.Unlock()
	return &graph.RelationPage{}, nil
}

func (f *fakeStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return nil, nil
}

func (f *fakeStore) StreamPaths(ctx context.Context, q graph.PathQuery, fn func(graph.Path) error) (graph.PathsInfo, error) {
	return graph.PathsInfo{}, f.fail()
}

func (f *fakeStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (*graph.Subgraph, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &graph.Subgraph{}, nil
}

func (f *fakeStore) Timeline(ctx context.Context, q graph.TimelineQuery) (*graph.TimelinePage, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &graph.TimelinePage{}, nil
}

func (f *fakeStore) Export(ctx context.Context, q graph.ExportQuery, w io.Writer) error {
	if err := f.fail(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "fake export\n")
	return err
}

func (f *fakeStore) Stats(ctx context.Context) (graph.Stats, error) {
	if f.panics {
		panic("fake store: Stats panics")
	}
	if err := f.fail(); err != nil {
		return graph.Stats{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return graph.Stats{Articles: int64(len(f.articles))}, nil
}

func (f *fakeStore) Close() error { return nil }

// fakeExtractor makes an article of a document without looking at its text.
type fakeExtractor struct{}

func (fakeExtractor) Extract(d doc.Document) (*graph.Article, error) {
	return &graph.Article{ID: d.ID, Title: d.Title, Hash: d.Text}, nil
}
