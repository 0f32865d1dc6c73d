package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestCompact loads a store, deletes half of its articles, compacts it (in place and
// with --out) and checks that the file shrank, the counts and articles are unchanged,
// check passes and the compacted store takes new articles.
func TestCompact(t *testing.T) {
	const n = 60
	dir, addr, stop := loadedStore(t, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = synthID(i)
	}
	for _, id := range ids[:n/2] {
		if code, out, errs := cli(t, "", "delete", "--addr", addr, id); code != exitOK {
			t.Fatalf("delete %s: exit %d\n%s%s", id, code, out, errs)
		}
	}
	if code, _, errs := cli(t, "", "compact", "--data", dir); code != exitFail || !strings.Contains(errs, "another process holds the store in "+dir) {
		t.Errorf("compact beside a server: exit %d, stderr %q; want %d, another process holds the store", code, errs, exitFail)
	}
	stop()
	before := readStore(t, dir, ids)
	size := fileSize(t, graph.BoltPath(dir))

	tests := []struct {
		name string
		out  string // --out, "" in place
	}{
		{"--out", filepath.Join(t.TempDir(), "copy.bolt")},
		{"in place", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"compact", "--data", dir}
			if tt.out != "" {
				args = append(args, "--out", tt.out)
			}
			code, out, errs := cli(t, "", args...)
			if code != exitOK || !strings.HasPrefix(out, "compacted "+graph.BoltPath(dir)+": ") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
			}
			t.Log(strings.TrimSpace(out))
			compacted := tt.out
			if compacted == "" {
				compacted = graph.BoltPath(dir)
			} else if got := fileSize(t, graph.BoltPath(dir)); got != size {
				t.Errorf("with --out the store's file changed size: %d, was %d", got, size)
			}
			if got := fileSize(t, compacted); got >= size {
				t.Errorf("compacted file is %d bytes, the store %d", got, size)
			}
			left, _ := filepath.Glob(graph.BoltPath(dir) + compactTempPrefix + "*")
			if len(left) > 0 {
				t.Errorf("compaction left %v behind", left)
			}
		})
	}
	after := readStore(t, dir, ids)
	if after.stats != before.stats || len(after.articles) != n/2 {
		t.Errorf("after compaction: %+v, %d articles; before %+v, %d articles", after.stats, len(after.articles), before.stats, len(before.articles))
	}
	for id, a := range before.articles {
		if after.articles[id] != a {
			t.Errorf("article %s: %+v after compaction, %+v before", id, after.articles[id], a)
		}
	}
	if code, out, errs := cli(t, "", "check", "--data", dir); code != exitOK {
		t.Errorf("check after compaction: exit %d\n%s%s", code, out, errs)
	}

	// The compacted store takes the deleted articles back.
	tmp := t.TempDir()
	corpus := writeLines(t, tmp, "again.jsonl", synthCorpus(n, 1))
	addr, stop = startServe(t, "--data", dir)
	if code, out, errs := cli(t, "", "load", "--addr", addr, "--quiet", corpus); code != exitOK || !strings.Contains(out, fmt.Sprintf("%d stored, 0 replaced, %d unchanged", n/2, n/2)) {
		t.Errorf("reload into the compacted store: exit %d\n%s%s", code, out, errs)
	}
	stop()
	if code, out, errs := cli(t, "", "check", "--data", dir); code != exitOK || !strings.Contains(out, fmt.Sprintf("ok: %d articles", n)) {
		t.Errorf("check after the reload: exit %d\n%s%s", code, out, errs)
	}
}

func TestCompactErrors(t *testing.T) {
	dir, _, stop := loadedStore(t, 2)
	stop()
	exists := filepath.Join(t.TempDir(), "exists.bolt")
	if err := os.WriteFile(exists, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no store", []string{"--data", t.TempDir()}, exitFail, "no store in "},
		{"--out exists", []string{"--data", dir, "--out", exists}, exitFail, "the file exists"},
		{"empty --data", []string{"--data", ""}, exitUsage, "--data: empty"},
		{"bad --tx-max-bytes", []string{"--data", dir, "--tx-max-bytes", "0"}, exitUsage, "--tx-max-bytes: 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := cli(t, "", append([]string{"compact"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
		})
	}
}
