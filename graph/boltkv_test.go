package graph

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // Cayley's own "bbolt", to read our file
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/options"
)

// TestBoltKV: puts, gets, deletes and prefix scans through the adapter, with nested
// buckets created on demand, in write and read transactions and after reopening.
func TestBoltKV(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := openBoltKV(dir, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	k := func(parts ...string) hkv.Key { return hkv.SKey(parts...) }
	put := map[string]hkv.Key{
		"root":  k("root"),
		"a1":    k("b", "a1"),
		"a2":    k("b", "a2"),
		"b1":    k("b", "b1"),
		"deep":  k("c", "d", "deep"),
		"other": k("c", "other"),
	}
	err = db.Update(ctx, func(tx hkv.Tx) error {
		for v, key := range put {
			if err := tx.Put(ctx, key, hkv.Value(v)); err != nil {
				return err
			}
		}
		return tx.Del(ctx, k("b", "b1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = openBoltKV(dir, nil, false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx hkv.Tx) error {
		for v, key := range put {
			got, err := tx.Get(ctx, key)
			if v == "b1" {
				if err != hkv.ErrNotFound {
					t.Errorf("Get %q after Del = %q, %v; want ErrNotFound", key, got, err)
				}
				continue
			}
			if err != nil || string(got) != v {
				t.Errorf("Get %q = %q, %v; want %q", key, got, err, v)
			}
		}
		vals, err := tx.GetBatch(ctx, []hkv.Key{k("b", "a2"), k("nope", "x"), k("c", "d", "deep")})
		if err != nil || string(vals[0]) != "a2" || vals[1] != nil || string(vals[2]) != "deep" {
			t.Errorf("GetBatch = %q, %v", vals, err)
		}
		if err := tx.Put(ctx, k("b", "x"), hkv.Value("x")); err != hkv.ErrReadOnly {
			t.Errorf("Put in a read transaction: %v, want ErrReadOnly", err)
		}
		for _, tc := range []struct {
			pref hkv.Key
			want []string
		}{
			{k("b"), []string{"b/a1=a1", "b/a2=a2"}},
			{k("b", "a"), []string{"b/a1=a1", "b/a2=a2"}},
			{k("c"), []string{"c/d/deep=deep", "c/other=other"}},
			{k("zz"), nil},
			{nil, []string{"b/a1=a1", "b/a2=a2", "c/d/deep=deep", "c/other=other", "root=root"}},
		} {
			var got []string
			it := tx.Scan(ctx, options.WithPrefixKV(tc.pref))
			for it.Next(ctx) {
				var parts []string
				for _, p := range it.Key() {
					parts = append(parts, string(p))
				}
				got = append(got, strings.Join(parts, "/")+"="+string(it.Val()))
			}
			it.Close()
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("Scan prefix %q = %q, want %q", tc.pref, got, tc.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBoltKVCayleyReads: a store written through the adapter is a Cayley "bbolt" store.
func TestBoltKVCayleyReads(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	cfg := DefaultConfig()
	cfg.Path = dir
	cfg.Preallocate = true
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := quad.Quad{Subject: quad.IRI("ng:test"), Predicate: pName, Object: quad.String("written by newsgraph")}
	if err := s.qs.ApplyDeltas([]cgraph.Delta{{Quad: q, Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	qs, err := cgraph.NewQuadStore("bbolt", dir, nil)
	if err != nil {
		t.Fatalf("Cayley's bbolt backend cannot open the store: %v", err)
	}
	defer qs.Close()
	r, err := qs.ValueOf(quad.IRI("ng:test"))
	if err != nil || r == nil {
		t.Fatalf("Cayley's bbolt backend does not find the node: %v, %v", r, err)
	}
	it := qs.QuadIterator(quad.Subject, r).Iterate()
	defer it.Close()
	if !it.Next(ctx) {
		t.Fatal("Cayley's bbolt backend finds no quad")
	}
	got, err := qs.Quad(it.Result())
	if err != nil || got.Object != q.Object {
		t.Fatalf("Cayley reads %v (%v), want %v", got, err, q)
	}
}

// TestBoltKVOpensCayleyStore: a store Cayley's bbolt backend wrote (as newsgraph did
// before it registered its own adapter) opens and reads through the adapter.
func TestBoltKVOpensCayleyStore(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	if err := cgraph.InitQuadStore("bbolt", dir, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := cgraph.NewQuadStore("bbolt", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := quad.Quad{Subject: quad.IRI("ng:test"), Predicate: pName, Object: quad.String("written by Cayley")}
	if err := qs.ApplyDeltas([]cgraph.Delta{{Quad: q, Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	if err := qs.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Path = dir
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open a store Cayley wrote: %v", err)
	}
	defer s.Close()
	got, err := s.DumpQuads(ctx)
	if err != nil || len(got) != 1 || got[0] != `ing:test ing:name swritten by Cayley` {
		t.Fatalf("DumpQuads = %q, %v", got, err)
	}
}
