package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/newsgraph/newsgraph/loader/doc"
)

// countArticles counts the articles paths hold, the way doc.Reader.Walk reads them: one
// per non-blank line of a .jsonl or .ndjson file, one per other file, article files only
// inside folders. It returns -1 when it cannot tell (standard input, an unreadable
// path): progress then shows a rate without an ETA. Reading 20 MB of JSON Lines to
// count them takes a few milliseconds.
func countArticles(paths []string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			return -1
		}
		info, err := os.Stat(p)
		if err != nil {
			return -1
		}
		if !info.IsDir() {
			c, err := countFile(p)
			if err != nil {
				return -1
			}
			n += c
			continue
		}
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !doc.IsArticleFile(f) {
				return nil
			}
			c, err := countFile(f)
			n += c
			return err
		})
		if err != nil {
			return -1
		}
	}
	return n
}

func countFile(path string) (int, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".jsonl" && ext != ".ndjson" {
		return 1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	n, blank := 0, true
	for {
		b, err := r.ReadSlice('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			blank = false
		}
		if err == bufio.ErrBufferFull {
			continue // a long line: keep reading it
		}
		if len(b) > 0 && !blank {
			n++
		}
		blank = true
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// progress shows how far a load is.
type progress interface {
	add(n int)           // n more articles
	describe(msg string) // what the load is doing now ("committing")
	clear()              // before other output to the same stream
	finish()
}

// progressLine reports progress without a terminal: done of total articles (total -1:
// unknown), the rate since the start and the time left at that rate (-1: unknown).
type progressLine func(done, total int, rate float64, eta time.Duration)

// newProgress returns a progress bar on w when it is a terminal (rate and ETA), else a
// progress that calls line every `every` articles and once at the end, and note (when
// not nil) with the messages of describe.
func newProgress(w io.Writer, terminal bool, total, every int, desc string, line progressLine, note func(string)) progress {
	if terminal {
		max := int64(total)
		if total < 0 {
			max = -1
		}
		return barProgress{progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("articles"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)}
	}
	return &lineProgress{every: every, total: total, line: line, note: note, start: time.Now()}
}

type barProgress struct{ bar *progressbar.ProgressBar }

func (b barProgress) add(n int)           { _ = b.bar.Add(n) }
func (b barProgress) describe(msg string) { b.bar.Describe(msg) }
func (b barProgress) clear()              { _ = b.bar.Clear() }
func (b barProgress) finish()             { _ = b.bar.Finish() }

// lineProgress calls line every so many articles, for logs and pipes.
type lineProgress struct {
	every, total int
	line         progressLine
	note         func(msg string) // prints describe's message; nil: nothing
	start        time.Time
	n, last      int
}

func (p *lineProgress) add(n int) {
	p.n += n
	if p.n-p.last >= p.every {
		p.report()
	}
}

func (p *lineProgress) report() {
	p.last = p.n
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.n) / el
	}
	eta := time.Duration(-1)
	if p.total >= p.n && rate > 0 {
		eta = time.Duration(float64(p.total-p.n) / rate * float64(time.Second)).Round(time.Second)
	}
	p.line(p.n, p.total, rate, eta)
}

// describe reports the progress so far, then the message.
func (p *lineProgress) describe(msg string) {
	if p.n != p.last {
		p.report()
	}
	if p.note != nil {
		p.note(msg)
	}
}

func (p *lineProgress) clear() {}

func (p *lineProgress) finish() {
	if p.n != p.last {
		p.report()
	}
}

// plainProgressLine writes "load: 1200/20181 articles (6%), 310 articles/s, ETA 1m01s".
func plainProgressLine(w io.Writer, verb string) progressLine {
	return func(done, total int, rate float64, eta time.Duration) {
		if total < 0 {
			fmt.Fprintf(w, "load: %d articles %s, %.0f articles/s\n", done, verb, rate)
			return
		}
		pct := 100
		if total > 0 {
			pct = done * 100 / total
		}
		s := fmt.Sprintf("load: %d/%d articles %s (%d%%), %.0f articles/s", done, total, verb, pct, rate)
		if eta >= 0 {
			s += ", ETA " + eta.String()
		}
		fmt.Fprintln(w, s)
	}
}

// reasonCounts groups rejection reasons, without the article's origin, for a summary.
type reasonCounts map[string]int

// add counts the reason of a rejected article; origin is cut from the reason's front.
func (rc reasonCounts) add(origin, reason string) {
	if origin != "" {
		reason = strings.TrimPrefix(reason, origin+": ")
	}
	if i := strings.Index(reason, ": "); i > 0 && strings.HasPrefix(reason, "article ") {
		reason = reason[i+2:] // the server's "article 12 (id): …"
	}
	rc[reason]++
}

// top returns at most n reasons, the most frequent first, as "reason (count)".
func (rc reasonCounts) top(n int) []string {
	rs := make([]string, 0, len(rc))
	for r := range rc {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		if rc[rs[i]] != rc[rs[j]] {
			return rc[rs[i]] > rc[rs[j]]
		}
		return rs[i] < rs[j]
	})
	out := make([]string, 0, min(n, len(rs)))
	for _, r := range rs[:min(n, len(rs))] {
		out = append(out, fmt.Sprintf("%s (%d)", r, rc[r]))
	}
	return out
}
