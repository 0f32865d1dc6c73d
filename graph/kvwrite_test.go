package graph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/graph/graphtest"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// TestBulkSameBytesAsCayley writes the same articles into two bolt stores, one
// through Cayley's ApplyDeltas only and one through the writer's add path
// (kvwrite.go), with replacements and deletes (Cayley's path in both) between the
// bulk loads, and compares every key and value of every bucket of the two files.
// The one difference allowed: the Timestamp of the primitives in the log (time.Now
// when each store wrote them). Log values are compared decoded with the timestamp
// cleared, and must be the canonical encoding (proto.Marshal of what they decode to).
// Articles: the reference fixtures, the repository's example article, the first 300
// corpus articles when ../shared/data is present, and synthetic ones.
func TestBulkSameBytesAsCayley(t *testing.T) {
	for _, prealloc := range []bool{false, true} {
		t.Run(fmt.Sprintf("preallocate=%v", prealloc), func(t *testing.T) {
			if prealloc && testing.Short() {
				t.Skip("short")
			}
			testBulkSameBytes(t, prealloc)
		})
	}
}

func testBulkSameBytes(t *testing.T, prealloc bool) {
	ctx := context.Background()
	start := time.Now()
	arts := bulkTestArticles(t)
	t.Logf("%v extracted", time.Since(start))
	g := newSynth(200)
	for n := range 200 {
		arts = append(arts, g.article(n, 0))
	}
	var stores [2]*graph.CayleyStore
	var dirs [2]string
	for i := range stores {
		cfg := graph.DefaultConfig()
		cfg.Path = filepath.Join(t.TempDir(), "store")
		cfg.Preallocate = prealloc
		cfg.NoSync = true // what is written does not depend on it
		dirs[i] = cfg.Path
		s, err := graph.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		stores[i] = s
		if !graph.SetBulkWrites(s, i == 1) {
			t.Fatal("no bolt database under the store")
		}
	}
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()
	both := func(what string, fn func(s *graph.CayleyStore) (any, error)) {
		t.Helper()
		var got [2]any
		for i, s := range stores {
			r, err := fn(s)
			if err != nil {
				t.Fatalf("%s (store %d): %v", what, i, err)
			}
			got[i] = r
		}
		if fmt.Sprint(got[0]) != fmt.Sprint(got[1]) {
			t.Fatalf("%s: Cayley's path gives %v, the add path %v", what, got[0], got[1])
		}
	}
	put := func(what string, arts []*graph.Article, batch int) {
		t.Helper()
		for i := 0; i < len(arts); i += batch {
			part := arts[i:min(i+batch, len(arts))]
			both(what, func(s *graph.CayleyStore) (any, error) {
				res, err := s.PutArticles(ctx, part)
				for _, r := range res {
					if r.Err != nil {
						return nil, r.Err
					}
				}
				return res, err
			})
		}
	}
	half := len(arts) / 2
	// A bulk load in shared transactions, then some one by one.
	put("first load", arts[:half-10], 64)
	put("one by one", arts[half-10:half], 1)
	// Replacements and deletes: deletes in the transaction, so Cayley's path in both.
	v2 := []*graph.Article{graphtest.SyriaTalksV2()}
	for n := 0; n < 150; n += 7 {
		v2 = append(v2, g.article(n, 1))
	}
	put("replacements", v2, 8)
	var deleted []*graph.Article
	for i := 0; i < half; i += 5 {
		a := arts[i]
		if a.ID == graphtest.SyriaTalks().ID {
			continue
		}
		both("delete "+a.ID, func(s *graph.CayleyStore) (any, error) { return s.DeleteArticle(ctx, a.ID) })
		deleted = append(deleted, a)
	}
	// Bulk loads after the deletes: nodes removed by Cayley come back with new ids.
	put("second load", arts[half:], 50)
	put("deleted ones again", deleted, 16)
	put("unchanged", arts[:20], 10)
	// Raw transactions: duplicates within one, quads already stored, new quads between
	// nodes that all exist, literals of every kind.
	raw := [][]quad.Quad{
		{
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/p"), Object: quad.IRI("ng:test/b")},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/p"), Object: quad.IRI("ng:test/b")},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/q"), Object: quad.Int(42)},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/q"), Object: quad.Float(0.25)},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/q"), Object: quad.Time(time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC))},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/q"), Object: quad.String("a string")},
		},
		{
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/p"), Object: quad.IRI("ng:test/b")}, // stored
			{Subject: quad.IRI("ng:test/b"), Predicate: quad.IRI("ng:test/p"), Object: quad.IRI("ng:test/a")}, // new, nodes exist
			{Subject: quad.IRI("ng:test/b"), Predicate: quad.IRI("ng:test/p"), Object: quad.IRI("ng:test/a")},
			{Subject: quad.IRI("ng:test/a"), Predicate: quad.IRI("ng:test/q"), Object: quad.Int(42)}, // stored
			{Subject: quad.IRI("ng:test/c"), Predicate: quad.IRI("ng:test/q"), Object: quad.Int(42)},
		},
	}
	for i, qs := range raw {
		both(fmt.Sprintf("raw transaction %d", i), func(s *graph.CayleyStore) (any, error) { return nil, graph.ApplyAdds(s, qs) })
	}
	if n := graph.BulkTxs(stores[0]); n != 0 {
		t.Fatalf("the Cayley store committed %d transactions through the add path", n)
	}
	if n := graph.BulkTxs(stores[1]); n < 10 {
		t.Fatalf("the add path committed only %d transactions", n)
	}
	bulkTxs := graph.BulkTxs(stores[1])
	t.Logf("%v written", time.Since(start))
	both("stats", func(s *graph.CayleyStore) (any, error) { return s.Stats(ctx) })
	both("dump", func(s *graph.CayleyStore) (any, error) { return s.DumpQuads(ctx) })
	graphtest.CheckInvariants(t, stores[1])
	for i, s := range stores {
		if err := s.Close(); err != nil {
			t.Fatalf("close store %d: %v", i, err)
		}
	}
	t.Logf("%v checked", time.Since(start))
	want, got := boltContents(t, dirs[0]), boltContents(t, dirs[1])
	t.Logf("%v read", time.Since(start))
	if len(want) < 1000 {
		t.Fatalf("only %d keys in the store", len(want))
	}
	diffs := 0
	for i, j := 0, 0; i < len(want) || j < len(got); {
		switch {
		case j >= len(got) || i < len(want) && want[i].key < got[j].key:
			t.Errorf("only Cayley's store has %s = %x", want[i].key, want[i].val)
			i++
		case i >= len(want) || got[j].key < want[i].key:
			t.Errorf("only the add path's store has %s = %x", got[j].key, got[j].val)
			j++
		default:
			if want[i].val != got[j].val {
				t.Errorf("%s: Cayley's store has %x, the add path's %x", want[i].key, want[i].val, got[j].val)
			}
			i++
			j++
			continue
		}
		if diffs++; diffs > 20 {
			t.Fatal("too many differences")
		}
	}
	t.Logf("%d keys compared, %d articles, %d transactions through the add path", len(want), len(arts), bulkTxs)
}

type boltEntry struct{ key, val string }

// boltContents lists every key of a store's bolt file with its value, bucket path
// first, sorted; log values decoded, checked canonical and with Timestamp cleared.
func boltContents(t *testing.T, dir string) []boltEntry {
	t.Helper()
	db, err := bolt.Open(graph.BoltFile(dir), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []boltEntry
	var walk func(path string, b *bolt.Bucket) error
	walk = func(path string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			key := fmt.Sprintf("%s/%x", path, k)
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					out = append(out, boltEntry{key: key + "/", val: "bucket"})
					return walk(key, sub)
				}
			}
			if path == "/6c6f67" { // "log"
				var p cproto.Primitive
				if err := proto.Unmarshal(v, &p); err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
				if c, err := proto.Marshal(&p); err != nil || !bytes.Equal(c, v) {
					return fmt.Errorf("%s: %x is not the canonical encoding %x (%v)", key, v, c, err)
				}
				if p.Timestamp == 0 {
					return fmt.Errorf("%s: no timestamp", key)
				}
				p.Timestamp = 0
				c, _ := proto.Marshal(&p)
				v = c
			}
			out = append(out, boltEntry{key: key, val: string(v)})
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			path := fmt.Sprintf("/%x", name)
			out = append(out, boltEntry{key: path + "/", val: "bucket"})
			return walk(path, b)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b boltEntry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	return out
}

// bulkTestArticles returns the reference fixtures, the repository's example article
// and the first 150 corpus articles when the shared data is there.
func bulkTestArticles(t *testing.T) []*graph.Article {
	t.Helper()
	arts := []*graph.Article{graphtest.SyriaTalks(), graphtest.Denial(), graphtest.UNMeeting(), graphtest.Elsewhere()}
	x, err := extract.New(extract.Config{})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"../examples/articles"}
	data := os.Getenv("NEWSGRAPH_DATA")
	if data == "" {
		data = "../../shared/data"
	}
	if _, err := os.Stat(filepath.Join(data, "corpora")); err == nil {
		paths = append(paths, filepath.Join(data, "corpora"))
	} else {
		t.Logf("no corpora at %s: the example article, fixtures and synthetic articles only", data)
	}
	stop := errors.New("enough")
	corpus := 0
	err = doc.Reader{}.Walk(context.Background(), paths, func(it doc.Item) error {
		if it.Err != nil {
			return nil
		}
		a, err := x.Extract(it.Doc)
		if err != nil {
			return nil
		}
		arts = append(arts, a)
		if corpus++; corpus > 150 {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		t.Fatal(err)
	}
	return arts
}
