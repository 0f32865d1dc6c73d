package graph

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestWarmReadCache: the warm-up reads the statements of every edge, the busiest
// entities first, so that relation pages afterwards read no quads; it stops at its
// share of the cache, and Close stops it when it runs in the background.
func TestWarmReadCache(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	hub := EntityRef{Type: State, Name: "Hubland"}
	var arts []*Article
	for i := range 40 {
		town := EntityRef{Type: City, Name: fmt.Sprintf("Town %d", i)}
		arts = append(arts, &Article{ID: fmt.Sprintf("a%d", i), Hash: "h", Source: "wire", Published: day, Statements: []Statement{
			{Subject: hub, Predicate: "bombed", Object: town, Sentence: fmt.Sprintf("Hubland bombed Town %d.", i), Confidence: 1, EventDate: day, Modality: Asserted},
			{Subject: town, Predicate: "condemned", Object: hub, Sentence: fmt.Sprintf("Town %d condemned Hubland.", i), Confidence: 1, EventDate: day, Modality: Asserted},
		}})
	}
	for _, backend := range []string{BackendMemstore, BackendBolt} {
		t.Run(backend, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Backend, cfg.Path, cfg.NoSync = backend, filepath.Join(t.TempDir(), "store"), true
			s, err := Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.PutArticles(ctx, arts); err != nil {
				t.Fatal(err)
			}
			if err := s.ResetReadCache(ctx); err != nil {
				t.Fatal(err)
			}
			st, err := s.WarmReadCache(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Edges != 80 || st.Entities != 41 || st.Full || st.Statements != 160 {
				t.Errorf("warm-up %+v, want 80 edges of 41 entities, 160 held (80 statements and their 80 edges)", st)
			}
			r := s.newReader()
			for _, e := range []string{hub.IRI(), (EntityRef{Type: City, Name: "Town 7"}).IRI()} {
				for _, a := range s.rc.getAdj(e).byKey {
					t3 := edgeTriple{e, a.pred, a.other}
					if !a.out {
						t3 = edgeTriple{a.other, a.pred, e}
					}
					if _, err := r.edgeFacts(ctx, t3); err != nil {
						t.Fatal(err)
					}
				}
			}
			if r.edgeLoads != 0 {
				t.Errorf("after the warm-up, reading the edges of two entities read %d from the store, want 0", r.edgeLoads)
			}
			if st, err := s.WarmReadCache(ctx); err != nil || st.Edges != 0 {
				t.Errorf("a second warm-up read %d edges (%v), want 0", st.Edges, err)
			}

			// A cache with room for 40 statements stops at three quarters of it.
			if err := s.ResetReadCache(ctx); err != nil {
				t.Fatal(err)
			}
			s.rc.mu.Lock()
			s.rc.maxStmts = 40
			s.rc.mu.Unlock()
			if st, err := s.WarmReadCache(ctx); err != nil || !st.Full || st.Statements < 30 || st.Statements > 40 {
				t.Errorf("warm-up into a small cache: %+v, %v; want stopped full at 30-40", st, err)
			}
		})
	}

	t.Run("background, stopped by Close", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.Backend, cfg.Path, cfg.NoSync = BackendBolt, filepath.Join(t.TempDir(), "store"), true
		s, err := Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutArticles(ctx, arts); err != nil {
			t.Fatal(err)
		}
		s.Close()
		cfg.WarmReadCache = true
		for range 3 { // Close at once and Close after the warm-up both stop cleanly
			s, err := Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
		s, err = Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		deadline := time.Now().Add(10 * time.Second)
		for s.rc.statementsHeld() < 160 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := s.rc.statementsHeld(); n != 160 {
			t.Errorf("background warm-up holds %d, want 160", n)
		}
	})
}
