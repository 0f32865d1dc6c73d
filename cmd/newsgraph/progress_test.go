package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCountArticles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", "{\"id\":\"1\"}\n\n  \n{\"id\":\"2\"}\n{\"id\":\"3\"}") // no final newline
	write("b.ndjson", "{\"id\":\"4\"}\n"+strings.Repeat("x", 3<<20)+"\n")    // a line longer than the buffer
	write("c.txt", "Title\n\nText.")
	write("notes.md", "not an article")
	for _, tc := range []struct {
		paths []string
		want  int
	}{
		{[]string{dir}, 6},
		{[]string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "notes.md")}, 4}, // a named file is read whatever its extension
		{[]string{dir, "-"}, -1},
		{[]string{filepath.Join(dir, "missing")}, -1},
	} {
		if got := countArticles(tc.paths); got != tc.want {
			t.Errorf("countArticles(%v) = %d, want %d", tc.paths, got, tc.want)
		}
	}
}

func TestLineProgress(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, false, 25, 10, "loading", plainProgressLine(&out, "sent"), nil)
	for range 25 {
		p.add(1)
		time.Sleep(time.Millisecond)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "load: 10/25 articles sent (40%), ") ||
		!strings.Contains(lines[0], "articles/s, ETA ") || !strings.HasPrefix(lines[2], "load: 25/25 articles sent (100%)") {
		t.Fatalf("progress lines:\n%s", out.String())
	}
	out.Reset()
	p = newProgress(&out, false, -1, 2, "loading", plainProgressLine(&out, "sent"), func(m string) { out.WriteString("note: " + m + "\n") })
	p.add(3)
	p.add(1)
	p.describe("waiting")
	lines = strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "load: 3 articles sent, ") || strings.Contains(lines[0], "ETA") ||
		!strings.HasPrefix(lines[1], "load: 4 articles sent") || lines[2] != "note: waiting" {
		t.Fatalf("progress lines without a total:\n%s", out.String())
	}
}

func TestReasonCounts(t *testing.T) {
	rc := reasonCounts{}
	rc.add("stdin:2", "stdin:2: invalid article: text is empty")
	rc.add("stdin:5", "stdin:5: invalid article: text is empty")
	rc.add("x.jsonl:9", `article 3 (id "a"): invalid article: malformed JSON`)
	rc.add("", "store: disk full")
	got := rc.top(2)
	want := []string{"invalid article: text is empty (2)", "invalid article: malformed JSON (1)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("top(2) = %q, want %q", got, want)
	}
}

// TestServeLoadLogsProgress: serve --load without a terminal logs a progress line
// every --load-every articles, then the summary and what the store holds.
func TestServeLoadLogsProgress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &lockedBuffer{}
	listening := make(chan string, 1)
	e := env{stdin: strings.NewReader(""), stdout: log, stderr: log, onListen: func(a string) { listening <- a }}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--backend", "memstore",
			"--load", "testdata", "--load", "testdata", "--load-every", "1"}, e)
	}()
	select {
	case <-listening:
	case code := <-exited:
		t.Fatalf("serve exited with %d:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60s:\n%s", log.String())
	}
	cancel()
	<-exited
	out := log.String()
	for _, want := range []string{
		"msg=\"loading articles\"", "articles=2",
		"msg=loading articles=1 of=2", "msg=loading articles=2 of=2",
		"msg=\"loaded articles\" articles=2 stored=1 replaced=0 unchanged=1 rejected=0",
		"msg=\"store holds\" articles=1 entities=",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("serve log lacks %q:\n%s", want, out)
		}
	}
}
