package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
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
