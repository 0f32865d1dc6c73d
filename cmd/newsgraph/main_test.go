package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const reference = "testdata/2016-09-28-us-threatens-to-end-syria-talks.txt"

// lockedBuffer collects a command's output; serve writes its log from several
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs "newsgraph serve args..." in-process on 127.0.0.1:0 and returns its
// address and a stop function that shuts it down and returns its exit status.
func startServe(t *testing.T, args ...string) (addr string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &lockedBuffer{}
	listening := make(chan string, 1)
	e := env{stdin: strings.NewReader(""), stdout: log, stderr: log, onListen: func(a string) { listening <- a }}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "debug"}, args...), e)
	}()
	select {
	case addr = <-listening:
	case code := <-exited:
		cancel()
		t.Fatalf("serve exited with %d before listening:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not listen within 60s:\n%s", log.String())
	}
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-exited
			if code != exitOK {
				t.Errorf("serve exited with %d:\n%s", code, log.String())
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// cli runs one command in-process and returns its exit status and output.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	addr, stop := startServe(t, "--backend", "memstore")

	code, out, errs := cli(t, "", "load", "--addr", addr, reference)
	if code != exitOK || !strings.Contains(out, "stored     2016-09-28-us-threatens-to-end-syria-talks") ||
		!strings.Contains(out, "total: 1 articles: 1 stored") {
		t.Fatalf("load = %d\n%s%s", code, out, errs)
	}

	code, out, errs = cli(t, "", "query", "relations", "United States", "--predicate", "warned", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "United States --warned--> Russia") || !strings.Contains(out, "warned") {
		t.Errorf("query relations = %d\n%s%s", code, out, errs)
	}

	code, out, errs = cli(t, "", "query", "paths", "--addr", addr, "John Kerry", "Aleppo")
	if code != exitOK || !strings.Contains(out, "path 1 (") {
		t.Errorf("query paths = %d\n%s%s", code, out, errs)
	}

	whole := out
	code, out, errs = cli(t, "", "query", "paths", "--stream", "--addr", addr, "John Kerry", "Aleppo")
	if code != exitOK || out != whole {
		t.Errorf("query paths --stream = %d, want the same text as FindPaths\n--- stream\n%s%s--- whole\n%s", code, out, errs, whole)
	}
	code, out, errs = cli(t, "", "query", "paths", "--stream", "--json", "--addr", addr, "John Kerry", "Aleppo")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, l := range lines {
		var m struct {
			Path struct{ Hops []json.RawMessage }
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil || len(m.Path.Hops) == 0 {
			t.Errorf("query paths --stream --json: line %d = %q, want a path object (%v)", i+1, l, err)
		}
	}
	if code != exitOK || len(lines) != strings.Count(whole, "path ") {
		t.Errorf("query paths --stream --json = %d, %d lines for %d paths\n%s%s", code, len(lines), strings.Count(whole, "path "), out, errs)
	}

	code, out, errs = cli(t, "", "query", "paths", "--addr", addr, "--modality", "asserted,reported", "--from-date", "2016-09-01",
		"--max-degree", "1000", "John Kerry", "Aleppo")
	if code != exitOK || !strings.Contains(out, "path 1 (") {
		t.Errorf("query paths with filters = %d\n%s%s", code, out, errs)
	}

	code, out, errs = cli(t, "", "query", "stats", "--json", "--addr", addr)
	var stats struct{ Articles, Quads string }
	if code != exitOK || json.Unmarshal([]byte(out), &stats) != nil || stats.Articles != "1" || stats.Quads == "" {
		t.Errorf("query stats --json = %d\n%s%s", code, out, errs)
	}

	for _, q := range [][]string{
		{"entity", "Kerry"}, {"search", "Kery"}, {"between", "US", "Russia"}, {"neighbourhood", "Aleppo", "--depth", "2"},
	} {
		args := append(append([]string{"query"}, q...), "--addr", addr)
		code, out, errs = cli(t, "", args...)
		if code != exitOK || out == "" {
			t.Errorf("query %v = %d\n%s%s", q, code, out, errs)
		}
	}

	code, _, errs = cli(t, "", "query", "entity", "Atlantis", "--addr", addr)
	if code != exitFail || !strings.Contains(errs, "NotFound") || !strings.Contains(errs, "Atlantis") {
		t.Errorf("query entity Atlantis = %d, stderr %q; want NotFound", code, errs)
	}
	code, _, errs = cli(t, "", "query", "neighbourhood", "Aleppo", "--depth", "1000", "--addr", addr)
	if code != exitFail || !strings.Contains(errs, "InvalidArgument: depth: 1000") {
		t.Errorf("query neighbourhood --depth 1000 = %d, stderr %q; want InvalidArgument naming depth", code, errs)
	}

	// Standard input (JSON Lines) with one good and two bad articles: rejected articles
	// are listed and make the exit status 1.
	jsonl := `{"id":"a1","title":"T","published":"2016-09-29","text":"The US warned Russia on Thursday."}` + "\n" +
		`{"id":"a2","text":""}` + "\n" + `{not json` + "\n"
	code, out, errs = cli(t, jsonl, "load", "--addr", addr, "-")
	if code != exitFail || !strings.Contains(out, "stored     a1") || linesWith(out, "rejected ") != 2 ||
		!strings.Contains(out, "stdin:3") || !strings.Contains(out, "1 stored, 0 replaced, 0 unchanged, 2 rejected") {
		t.Errorf("load - = %d\n%s%s", code, out, errs)
	}

	code, out, errs = cli(t, "", "delete", "--addr", addr, "a1")
	if code != exitOK || !strings.Contains(out, "deleted a1") {
		t.Errorf("delete = %d\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, "", "load", "--addr", addr, reference)
	if code != exitOK || !strings.Contains(out, "unchanged  2016-09-28") {
		t.Errorf("second load = %d\n%s%s", code, out, errs)
	}
	if stop() != exitOK {
		t.Fatal("serve did not stop cleanly")
	}
}

// TestServeBolt: serve --load stores the articles in the bolt folder, and a second serve
// on the same folder finds them.
func TestServeBolt(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	addr, stop := startServe(t, "--data", data, "--load", "testdata")
	code, out, errs := cli(t, "", "query", "stats", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "articles:   1") {
		t.Fatalf("stats after serve --load = %d\n%s%s", code, out, errs)
	}
	stop()

	addr, _ = startServe(t, "--data", data)
	code, out, errs = cli(t, "", "query", "relations", "United States", "--predicate", "warned", "--addr", addr)
	if code != exitOK || !strings.Contains(out, "--warned--> Russia") {
		t.Errorf("relations after restart = %d\n%s%s", code, out, errs)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr, or stdout for help
	}{
		{nil, exitUsage, "usage: newsgraph COMMAND"},
		{[]string{"help"}, exitOK, "commands:"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"serve", "-h"}, exitOK, "usage: newsgraph serve"},
		{[]string{"serve", "--backend", "mysql"}, exitUsage, `--backend: "mysql", want bolt, memstore, postgres or cockroach`},
		{[]string{"serve", "--backend", "postgres"}, exitUsage, "--db: empty"},
		{[]string{"serve", "--log-level", "loud"}, exitUsage, "--log-level"},
		{[]string{"serve", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"load"}, exitUsage, "no PATH given"},
		{[]string{"load", "--batch", "0", "x"}, exitUsage, "--batch: 0, want > 0"},
		{[]string{"load", "--batch", "many", "x"}, exitUsage, "-batch"},
		{[]string{"query"}, exitUsage, "usage: newsgraph query KIND"},
		{[]string{"query", "everything"}, exitUsage, `unknown kind "everything"`},
		{[]string{"query", "relations"}, exitUsage, "got 0 arguments, want ENTITY"},
		{[]string{"query", "relations", "US", "--direction", "sideways"}, exitUsage, `--direction: "sideways"`},
		{[]string{"query", "relations", "US", "--type", "planet"}, exitUsage, `--type: "planet"`},
		{[]string{"query", "paths", "A", "B", "--k", "-1"}, exitUsage, "--k: -1"},
		{[]string{"query", "search", "x", "--mode", "psychic"}, exitUsage, `--mode: "psychic"`},
		{[]string{"query", "stats", "extra"}, exitUsage, "want no arguments"},
		{[]string{"delete"}, exitUsage, "want the article ID"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := cli(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.want) {
				t.Errorf("exit %d, output %q; want %d and %q", code, out+errs, tt.code, tt.want)
			}
		})
	}
}

// linesWith counts the lines of s that start with prefix.
func linesWith(s, prefix string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}
