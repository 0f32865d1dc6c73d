package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad/nquads"
)

// TestExploreCommands: query timeline and export against a served store.
func TestExploreCommands(t *testing.T) {
	addr, _ := startServe(t, "--backend", "memstore")
	if code, out, errs := cli(t, "", "load", "--addr", addr, reference); code != exitOK {
		t.Fatalf("load = %d\n%s%s", code, out, errs)
	}
	code, out, errs := cli(t, "", "query", "timeline", "John Kerry", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "2016-09-28  John Kerry --met--> Sergey Lavrov   [1 article, 1 source]") {
		t.Errorf("query timeline = %d\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, "", "query", "timeline", "John Kerry", "--predicate", "bombed", "--addr", addr)
	if code != exitOK || strings.TrimSpace(out) != "no event found" {
		t.Errorf("query timeline --predicate bombed = %d\n%s%s", code, out, errs)
	}

	dir := t.TempDir()
	dot := filepath.Join(dir, "aleppo.dot")
	code, out, errs = cli(t, "", "export", "--entity", "Aleppo", "--depth", "1", "-o", dot, "--addr", addr)
	b, _ := os.ReadFile(dot)
	if code != exitOK || !strings.HasPrefix(string(b), "digraph newsgraph {") || !strings.Contains(errs, "wrote "+dot) {
		t.Errorf("export --entity Aleppo -o %s = %d\n%s%s\n%s", dot, code, out, errs, b)
	}
	nq := filepath.Join(dir, "all.nq")
	code, out, errs = cli(t, "", "export", "--all", "--full", "-o", nq, "--addr", addr)
	if code != exitOK {
		t.Fatalf("export --all --full = %d\n%s%s", code, out, errs)
	}
	f, err := os.Open(nq)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := nquads.NewReader(f, false)
	n := 0
	for {
		if _, err := r.ReadQuad(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("reading %s: %v", nq, err)
		}
		n++
	}
	code, out, _ = cli(t, "", "query", "stats", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "quads:      "+strconv.Itoa(n)+"\n") {
		t.Errorf("export has %d quads; stats:\n%s", n, out)
	}
	code, out, _ = cli(t, "", "export", "--all", "--format", "graphml", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "<graphml") {
		t.Errorf("export --all --format graphml = %d\n%.300s", code, out)
	}
	// A failed export leaves no file.
	bad := filepath.Join(dir, "atlantis.dot")
	code, _, errs = cli(t, "", "export", "--entity", "Atlantis", "-o", bad, "--addr", addr)
	if _, err := os.Stat(bad); code != exitFail || !strings.Contains(errs, "NotFound") || err == nil {
		t.Errorf("export --entity Atlantis = %d (%s), file: %v", code, errs, err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 2 {
		t.Errorf("files left in %s: %v", dir, left)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "want exactly one of --entity ENTITY and --all"},
		{[]string{"export", "--all", "--entity", "X"}, "want exactly one of"},
		{[]string{"export", "--all", "--format", "svg"}, `--format: "svg"`},
		{[]string{"export", "--all", "--format", "dot", "--full"}, "--full: only with --format nquads"},
		{[]string{"export", "--entity", "X", "--depth", "-1"}, "--depth: -1"},
		{[]string{"export", "--all", "extra"}, `unexpected argument "extra"`},
		{[]string{"query", "timeline"}, "got 0 arguments, want ENTITY"},
	} {
		code, out, errs := cli(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(out+errs, tt.want) {
			t.Errorf("%v = %d, %q; want usage error %q", tt.args, code, out+errs, tt.want)
		}
	}
}
