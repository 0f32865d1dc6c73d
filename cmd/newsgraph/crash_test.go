package main

// The crash harness: the real binary, SIGKILLed at random moments while it loads, and
// the store checked after every restart. bench/crash.sh runs the long version.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// crashKillsEnv sets the number of kills of TestCrash (default 5).
const crashKillsEnv = "NEWSGRAPH_CRASH_KILLS"

// crashCorpusEnv names JSON Lines files (comma-separated) TestCrash loads instead of
// its synthetic corpus, e.g. the shared FA-KES and Reuters corpora.
const crashCorpusEnv = "NEWSGRAPH_CRASH_CORPUS"

// readCorpus returns the first n JSON lines of files and their ids; it skips the test
// when a file is absent.
func readCorpus(t *testing.T, files []string, n int) (lines, ids []string) {
	t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s: %s is absent", crashCorpusEnv, f)
		}
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(b)) {
			if len(lines) == n {
				return lines, ids
			}
			var a synthArticle
			if strings.TrimSpace(l) == "" || json.Unmarshal([]byte(l), &a) != nil || a.ID == "" {
				continue
			}
			lines, ids = append(lines, strings.TrimRight(l, "\n")), append(ids, a.ID)
		}
	}
	return lines, ids
}

// Synthetic corpus: news-like sentences about states, cities and officials, so that
// every article has entities and statements, and a unique line so that no two
// articles are the same.
var (
	synthStates = []string{"United States", "Russia", "Turkey", "Iran", "France", "Britain", "Germany",
		"Israel", "Jordan", "Iraq", "Saudi Arabia", "Egypt", "Qatar", "China", "Lebanon"}
	synthCities = []string{"Aleppo", "Damascus", "Homs", "Idlib", "Raqqa", "Hama", "Latakia", "Daraa",
		"Mosul", "Ankara", "Moscow", "Tehran", "Beirut", "Geneva"}
	synthPeople = []string{"John Kerry", "Sergei Lavrov", "Mevlut Cavusoglu", "Mohammad Javad Zarif",
		"Jean-Marc Ayrault", "Boris Johnson", "Staffan de Mistura", "Bashar al-Assad"}
	synthVerbs = []string{"warned", "condemned", "accused", "criticised", "urged", "threatened"}
	synthDays  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
)

// synthArticle is one article of the synthetic corpus as a JSON line.
type synthArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Source    string `json:"source"`
	Text      string `json:"text"`
}

// synthCorpus returns n synthetic articles as JSON lines, the same for the same seed.
func synthCorpus(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	pair := func(xs []string) (string, string) {
		a := r.IntN(len(xs))
		b := (a + 1 + r.IntN(len(xs)-1)) % len(xs)
		return xs[a], xs[b]
	}
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range n {
		s1, s2 := pair(synthStates)
		p1, p2 := pair(synthPeople)
		city := pick(synthCities)
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s on %s over the fighting in %s.\n", s1, pick(synthVerbs), s2, pick(synthDays), city)
		fmt.Fprintf(&b, "%s met %s in %s to discuss a ceasefire.\n", p1, p2, pick(synthCities))
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "Air strikes on %s killed %d civilians, the Syrian Observatory for Human Rights said.\n", pick(synthCities), 2+r.IntN(40))
		}
		if r.IntN(2) == 0 {
			a, c := pair(synthStates)
			fmt.Fprintf(&b, "%s condemned the attack in %s and accused %s of bombing hospitals.\n", a, pick(synthCities), c)
		}
		fmt.Fprintf(&b, "This is dispatch %d of the %s desk.\n", i, pick(synthCities))
		line, _ := json.Marshal(synthArticle{
			ID:        synthID(i),
			Title:     fmt.Sprintf("%s %s %s over %s", s1, pick(synthVerbs), s2, city),
			Published: day.AddDate(0, 0, i%400).Format(time.RFC3339),
			Source:    "Synthetic Wire",
			Text:      b.String(),
		})
		out[i] = string(line)
	}
	return out
}

// synthID is the id of article i of the synthetic corpus.
func synthID(i int) string { return fmt.Sprintf("crash-%05d", i) }

// writeLines writes lines to a new file in dir and returns its path.
func writeLines(t *testing.T, dir, name string, lines []string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// buildBinary builds newsgraph into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the binary")
	}
	bin := filepath.Join(t.TempDir(), "newsgraph")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a newsgraph process the harness started.
type proc struct {
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan struct{}
	err    error // Wait's error, once done is closed
}

// start runs bin with args; t's cleanup kills it if it still runs.
func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", strings.Join(args, " "), err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill(); <-p.done })
	return p
}

// kill sends SIGKILL unless the process ended.
func (p *proc) kill() {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Kill()
	}
}

// wait waits for the process to end, at most d, and returns its exit code (-1: killed).
func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		p.kill()
		<-p.done
		t.Fatalf("%v did not end within %v\nstdout:\n%s\nstderr:\n%s", p.cmd.Args, d, p.stdout, p.stderr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// exited reports whether the process ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

var servingRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

// serveAddr waits for a serve process to listen and returns its address.
func (p *proc) serveAddr(t *testing.T) string {
	t.Helper()
	return p.waitLog(t, servingRE)[1]
}

// waitLog waits for a line matching re in the process's standard error and returns
// the match.
func (p *proc) waitLog(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return m
		}
		if p.exited() {
			t.Fatalf("%v exited before logging %q:\n%s", p.cmd.Args, re, p.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%v did not log %q within 60s:\n%s", p.cmd.Args, re, p.stderr)
	return nil
}

var loadingRE = regexp.MustCompile(`msg="loading articles"`)

// storeState is what a stopped store holds: its counters and each article.
type storeState struct {
	stats    graph.Stats
	articles map[string]graph.ArticleInfo
}

// readStore opens the bolt store in dir read-only and reads the articles ids names.
func readStore(t *testing.T, dir string, ids []string) storeState {
	t.Helper()
	ctx := context.Background()
	cfg := graph.DefaultConfig()
	cfg.Path = dir
	cfg.Logger = slog.New(slog.DiscardHandler)
	s, err := graph.OpenReadOnly(ctx, cfg)
	if err != nil {
		t.Fatalf("open the store after the restart: %v", err)
	}
	defer s.Close()
	st := storeState{articles: map[string]graph.ArticleInfo{}}
	if st.stats, err = s.Stats(ctx); err != nil {
		t.Fatalf("stats: %v", err)
	}
	for _, id := range ids {
		a, err := s.Article(ctx, id)
		if errors.Is(err, graph.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("article %s: %v", id, err)
		}
		st.articles[id] = *a
	}
	return st
}

// readAcked returns the ids of an --acked file (none when the file is missing).
func readAcked(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var a ackedArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %q: %v", path, sc.Text(), err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// crashKills is the number of kills TestCrash makes: $NEWSGRAPH_CRASH_KILLS or 5.
func crashKills(t *testing.T) int {
	v := os.Getenv(crashKillsEnv)
	if v == "" {
		return 5
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q, want a number > 0", crashKillsEnv, v)
	}
	return n
}

// TestCrash builds the binary, loads a synthetic corpus into a bolt store and SIGKILLs
// at random moments, in turn, the server under `newsgraph load`, `serve --load`, and
// the load client (the server then stopped with SIGTERM). After every kill it checks:
// the store opens; `newsgraph check` finds no violation; every article the load client
// acknowledged (its --acked file) is stored whole (the hash and statement count of an
// uninterrupted load). At the end, loading the whole corpus again stores each article
// once, and the store counts what an uninterrupted load into a fresh store counts.
// $NEWSGRAPH_CRASH_KILLS sets the number of kills (5 by default, bench/crash.sh: 50),
// $NEWSGRAPH_CRASH_CORPUS real JSON Lines files to load instead (skipped when absent).
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	began := time.Now()
	kills := crashKills(t)
	bin := buildBinary(t)
	t.Logf("built the binary in %v", time.Since(began).Round(time.Millisecond))
	tmp := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("NEWSGRAPH_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (NEWSGRAPH_CRASH_SEED reruns it)", seed)
	r := rand.New(rand.NewPCG(seed, 1))

	// Each round loads a new shard of step articles plus the shard before it again;
	// the short run's shards are smaller to keep it well under a minute.
	step := 200
	if kills <= 5 {
		step = 120
	}
	corpus := synthCorpus(step*(kills+1), 1)
	ids := make([]string, len(corpus))
	for i := range ids {
		ids[i] = synthID(i)
	}
	if v := os.Getenv(crashCorpusEnv); v != "" {
		corpus, ids = readCorpus(t, strings.Split(v, ","), len(corpus))
		t.Logf("corpus: the first %d articles of %s", len(corpus), v)
	}
	all := writeLines(t, tmp, "corpus.jsonl", corpus)

	// The uninterrupted load into a fresh store.
	fresh := filepath.Join(tmp, "fresh")
	srv := start(t, bin, "serve", "--data", fresh, "--addr", "127.0.0.1:0", "--load", all)
	srv.serveAddr(t)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(t, 60*time.Second); code != 0 {
		t.Fatalf("serve --load of the fresh store exited with %d:\n%s", code, srv.stderr)
	}
	want := readStore(t, fresh, ids)
	if int(want.stats.Articles) != len(ids) || len(want.articles) != len(ids) {
		t.Fatalf("fresh store: %+v, want %d articles", want.stats, len(ids))
	}
	t.Logf("fresh store: %+v (%v)", want.stats, time.Since(began).Round(time.Millisecond))

	data := filepath.Join(tmp, "store")
	acked := map[string]bool{}
	modes := map[string]int{}
	var lost, violations, killedMidCall int
	for round := range kills {
		lo := max(0, round-1) * step
		shard := writeLines(t, tmp, fmt.Sprintf("shard-%d.jsonl", round), corpus[lo:(round+1)*step])
		ackFile := filepath.Join(tmp, fmt.Sprintf("acked-%d.jsonl", round))
		delay := time.Duration(50+r.IntN(1000)) * time.Millisecond
		mode := []string{"server", "serve-load", "client"}[round%3]
		modes[mode]++
		switch mode {
		case "server": // SIGKILL the server while `load` streams to it
			srv := start(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
			addr := srv.serveAddr(t)
			batch := []string{"5", "20", "1000"}[r.IntN(3)]
			ld := start(t, bin, "load", "--addr", addr, "--quiet", "--batch", batch, "--acked", ackFile, shard)
			time.Sleep(delay)
			srv.kill()
			code := ld.wait(t, 60*time.Second)
			<-srv.done
			if code != 0 {
				killedMidCall++
				// Killed before the client's first call, the server was never reached.
				if msg := ld.stderr.String(); !strings.Contains(msg, "went away") && !strings.Contains(msg, "cannot reach the server") {
					t.Errorf("round %d: load exited with %d without saying the server went away:\n%s", round, code, msg)
				}
			}
		case "serve-load": // SIGKILL `serve --load`
			srv := start(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--load", shard)
			srv.waitLog(t, loadingRE)
			time.Sleep(delay)
			srv.kill()
			<-srv.done
		case "client": // SIGKILL the load client, then stop the server
			srv := start(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
			addr := srv.serveAddr(t)
			ld := start(t, bin, "load", "--addr", addr, "--quiet", "--batch", "20", "--acked", ackFile, shard)
			time.Sleep(delay)
			ld.kill()
			<-ld.done
			srv.cmd.Process.Signal(syscall.SIGTERM)
			if code := srv.wait(t, 60*time.Second); code != 0 {
				t.Errorf("round %d: serve exited with %d on SIGTERM after its client was killed:\n%s", round, code, srv.stderr)
			}
		}
		for _, id := range readAcked(t, ackFile) {
			acked[id] = true
		}
		// The store opens and passes check.
		chk := start(t, bin, "check", "--data", data)
		if code := chk.wait(t, 60*time.Second); code != 0 {
			violations += strings.Count(chk.stdout.String(), "\n") - 1
			t.Errorf("round %d (%s, killed after %v): check exited with %d:\n%s%s", round, mode, delay, code, chk.stdout, chk.stderr)
		}
		got := readStore(t, data, ids)
		for id := range acked {
			a, ok := got.articles[id]
			if w := want.articles[id]; !ok || a.Hash != w.Hash || a.Statements != w.Statements {
				lost++
				t.Errorf("round %d (%s): acknowledged article %s is %+v (present %v), want %+v", round, mode, id, a, ok, w)
			}
		}
		t.Logf("round %d: %s killed after %v: %d articles stored, %d acknowledged so far; check: %s",
			round, mode, delay, got.stats.Articles, len(acked), strings.TrimSpace(lastLine(chk.stdout.String())))
	}

	// Reloading the whole input stores every article exactly once.
	srv = start(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	addr := srv.serveAddr(t)
	ld := start(t, bin, "load", "--addr", addr, "--quiet", all)
	if code := ld.wait(t, 120*time.Second); code != 0 {
		t.Fatalf("reload exited with %d:\n%s%s", code, ld.stdout, ld.stderr)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(t, 60*time.Second); code != 0 {
		t.Fatalf("serve exited with %d:\n%s", code, srv.stderr)
	}
	if !strings.Contains(ld.stdout.String(), " 0 replaced, ") || !strings.Contains(ld.stdout.String(), " 0 rejected;") {
		t.Errorf("reload replaced or rejected articles:\n%s", ld.stdout)
	}
	chk := start(t, bin, "check", "--data", data)
	if code := chk.wait(t, 60*time.Second); code != 0 {
		t.Errorf("check after the reload exited with %d:\n%s%s", code, chk.stdout, chk.stderr)
	}
	got := readStore(t, data, ids)
	if got.stats != want.stats {
		t.Errorf("after the kills and a reload the store holds %+v, an uninterrupted load %+v", got.stats, want.stats)
	}
	for _, id := range ids {
		if a, w := got.articles[id], want.articles[id]; a != w {
			t.Errorf("article %s is %+v, want %+v", id, a, w)
		}
	}
	fi, _ := os.Stat(graph.BoltPath(data))
	t.Logf("crash harness: %d kills (%v; %d loads ended by the kill), %d articles acknowledged, %d lost, %d violations; reload: %s; store %+v, %d bytes; %v",
		kills, modes, killedMidCall, len(acked), lost, violations, strings.TrimSpace(firstLineWith(ld.stdout.String(), "total:")), got.stats, fi.Size(), time.Since(began).Round(time.Millisecond))
}

// firstLineWith is the first line of s that starts with prefix.
func firstLineWith(s, prefix string) string {
	for l := range strings.Lines(s) {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
