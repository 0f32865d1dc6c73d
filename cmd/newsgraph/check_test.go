package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/graph"
)

// loadedStore loads n synthetic articles into a new bolt store with serve --load and
// returns its folder, the server's address and the function that stops the server.
func loadedStore(t *testing.T, n int) (dir, addr string, stop func() int) {
	t.Helper()
	tmp := t.TempDir()
	corpus := writeLines(t, tmp, "corpus.jsonl", synthCorpus(n, 1))
	dir = filepath.Join(tmp, "store")
	addr, stop = startServe(t, "--data", dir, "--load", corpus)
	return dir, addr, stop
}

// copyStore copies the bolt store in dir into a new folder.
func copyStore(t *testing.T, dir string) string {
	t.Helper()
	to := t.TempDir()
	src, err := os.Open(graph.BoltPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(graph.BoltPath(to))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return to
}

// cayleyWrite applies deltas to the store in dir with Cayley's own bbolt backend,
// bypassing newsgraph's writer: how a half-written article is planted.
func cayleyWrite(t *testing.T, dir string, deltas ...cgraph.Delta) {
	t.Helper()
	qs, err := cgraph.NewQuadStore("bbolt", dir, cgraph.Options{"no_bloom": true})
	if err != nil {
		t.Fatalf("cayley open %s: %v", dir, err)
	}
	defer qs.Close()
	if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{}); err != nil {
		t.Fatalf("cayley write: %v", err)
	}
}

func add(s, p string, o quad.Value) cgraph.Delta {
	return cgraph.Delta{Action: cgraph.Add, Quad: quad.Make(quad.IRI(s), quad.IRI(p), o, nil)}
}

func del(s, p string, o quad.Value) cgraph.Delta {
	return cgraph.Delta{Action: cgraph.Delete, Quad: quad.Make(quad.IRI(s), quad.IRI(p), o, nil)}
}

func TestCheck(t *testing.T) {
	dir, _, stop := loadedStore(t, 20)
	stop()
	tests := []struct {
		name   string
		plant  []cgraph.Delta
		code   int
		stdout []string // each must appear in the output
	}{
		{"clean", nil, exitOK, []string{"ok: 20 articles, ", " quads, 0 violations\n"}},
		{"statement without its article",
			[]cgraph.Delta{add("ng:s/gone/0123abcd", "ng:sentence", quad.String("An orphan sentence."))},
			exitFail, []string{"statement ng:s/gone/0123abcd has no article", "FAIL: 20 articles, "}},
		{"article not registered",
			[]cgraph.Delta{del("ng:articles", "ng:has", quad.IRI("ng:a/crash-00003"))},
			exitFail, []string{"article ng:a/crash-00003 is not registered", "FAIL: 19 articles, "}},
		{"direct edge without a statement",
			[]cgraph.Delta{add("ng:e/state/atlantis", "ng:rel/annexed", quad.IRI("ng:e/state/lemuria"))},
			exitFail, []string{"direct edge ng:e/state/atlantis annexed ng:e/state/lemuria has no supporting statement"}},
		{"event without statements",
			[]cgraph.Delta{add("ng:k/state/atlantis/annexed/state/lemuria", "ng:occurred", quad.IRI("ng:ev/state/atlantis/annexed/state/lemuria/2016-01-01"))},
			exitFail, []string{"event ng:ev/state/atlantis/annexed/state/lemuria/2016-01-01 has no statement"}},
		{"statement count disagrees",
			[]cgraph.Delta{add("ng:a/crash-00001", "ng:statements", quad.Int(999))},
			exitFail, []string{"article ng:a/crash-00001 has ", "its count says"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := copyStore(t, dir)
			if len(tt.plant) > 0 {
				cayleyWrite(t, d, tt.plant...)
			}
			code, out, errs := cli(t, "", "check", "--data", d)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	dir, _, stop := loadedStore(t, 3)
	defer stop()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"held by a server", []string{"--data", dir}, exitFail, "another process holds the store in " + dir},
		{"no store", []string{"--data", t.TempDir()}, exitFail, "no store in "},
		{"empty --data", []string{"--data", " "}, exitUsage, "--data: empty"},
		{"argument", []string{"--data", dir, "extra"}, exitUsage, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := cli(t, "", append([]string{"check"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q\nstdout:\n%s", code, errs, tt.code, tt.stderr, out)
			}
		})
	}
}
