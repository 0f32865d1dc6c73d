package graph_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/graph/graphtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) { closeBenchStores() }))
}

// openMem opens a new memstore-backed store closed at the end of the test.
func openMem(t testing.TB) *graph.CayleyStore {
	cfg := graph.DefaultConfig()
	cfg.Backend = graph.BackendMemstore
	return open(t, cfg)
}

// openBolt opens a new bolt store in a temporary folder.
func openBolt(t testing.TB) *graph.CayleyStore {
	cfg := graph.DefaultConfig()
	cfg.Path = t.TempDir()
	cfg.NoSync = true
	return open(t, cfg)
}

func open(t testing.TB, cfg graph.Config) *graph.CayleyStore {
	t.Helper()
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestMemstore(t *testing.T) {
	graphtest.RunAll(t, func(t *testing.T) graph.Store { return openMem(t) })
}

func TestBolt(t *testing.T) {
	graphtest.RunAll(t, func(t *testing.T) graph.Store { return openBolt(t) })
}

// TestPostgres runs the suite against PostgreSQL when NEWSGRAPH_TEST_POSTGRES holds a
// connection URL of a role that may create databases, e.g.
// "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable". Every store of the
// suite gets a database of its own, dropped at the end.
func TestPostgres(t *testing.T) {
	addr := os.Getenv("NEWSGRAPH_TEST_POSTGRES")
	if addr == "" {
		t.Skip("NEWSGRAPH_TEST_POSTGRES is not set: set it to a PostgreSQL connection URL to run the suite on PostgreSQL")
	}
	admin, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatalf("NEWSGRAPH_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	n := 0
	graphtest.RunAll(t, func(t *testing.T) graph.Store {
		n++
		name := fmt.Sprintf("newsgraph_test_%d_%d", os.Getpid(), n)
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatalf("create database %s: %v", name, err)
		}
		u, err := url.Parse(addr)
		if err != nil {
			t.Fatalf("NEWSGRAPH_TEST_POSTGRES is not a URL: %v", err)
		}
		u.Path = "/" + name
		cfg := graph.DefaultConfig()
		cfg.Backend = graph.BackendPostgres
		cfg.Address = u.String()
		s, err := graph.Open(context.Background(), cfg)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
				t.Errorf("drop database %s: %v", name, err)
			}
		})
		return s
	})
}

// TestReopen closes a bolt store and opens it again: the name index and the counters
// are rebuilt from the registry nodes and match the store.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	cfg := graph.DefaultConfig()
	cfg.Path = t.TempDir()
	cfg.NoSync = true
	s, err := graph.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Put(t, s, graphtest.SyriaTalks(), graphtest.Denial(), graphtest.UNMeeting())
	if _, err := s.DeleteArticle(ctx, graphtest.UNMeeting().ID); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Stats(ctx)
	kerry, _ := s.Entity(ctx, graphtest.Kerry.IRI())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stats(ctx); err == nil {
		t.Errorf("Stats after Close succeeded")
	}
	s = open(t, cfg)
	if after, err := s.Stats(ctx); err != nil || after != before {
		t.Errorf("Stats after reopen = %+v, %v; want %+v", after, err, before)
	}
	if k, err := s.Entity(ctx, graphtest.Kerry.IRI()); err != nil || !reflect.DeepEqual(k, kerry) {
		t.Errorf("Kerry after reopen = %+v, %v; want %+v", k, err, kerry)
	}
	if err := s.CheckInvariants(ctx); err != nil {
		t.Error(err)
	}
	if res := graphtest.Put(t, s, graphtest.Denial()); res[0].Status != graph.Unchanged {
		t.Errorf("re-put after reopen: %v", res[0].Status)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*graph.Config)
		want string // part of the error; "" for valid
	}{
		{"default bolt without path", func(*graph.Config) {}, "Path"},
		{"bolt", func(c *graph.Config) { c.Path = "/tmp/x" }, ""},
		{"memstore", func(c *graph.Config) { c.Backend = graph.BackendMemstore }, ""},
		{"postgres without address", func(c *graph.Config) { c.Backend = graph.BackendPostgres }, "Address"},
		{"unknown backend", func(c *graph.Config) { c.Backend = "oracle" }, "Backend"},
		{"zero page size", func(c *graph.Config) { c.Backend = graph.BackendMemstore; c.MaxPageSize = 0 }, "MaxPageSize"},
		{"default above max", func(c *graph.Config) { c.Backend = graph.BackendMemstore; c.DefaultHops = 9 }, "DefaultHops"},
	} {
		cfg := graph.DefaultConfig()
		c.edit(&cfg)
		err := cfg.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, graph.ErrInvalidArgument)) {
			t.Errorf("%s: Validate() = %v, want error naming %q", c.name, err, c.want)
		}
	}
}
