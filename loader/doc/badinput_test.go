package doc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// writeFile writes body at dir/name, making the folders on the way.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBadPlainFiles: every bad plain-text file in a folder is one rejected Item whose
// message names the file (and the line, for bytes that are not text, counted from the
// start of the file, the title line included), wrapping ErrInvalid; the good file next
// to them is read and the walk goes on.
func TestBadPlainFiles(t *testing.T) {
	mib := 1 << 20
	for _, tc := range []struct {
		name string
		body string                              // the file's content
		make func(t *testing.T, dir string) bool // instead of body: makes the file in dir, false to skip
		want string                              // substring of the rejection; "" for accepted
	}{
		{name: "empty.txt", body: "", want: "empty.txt: invalid article: text is empty"},
		{name: "blank.txt", body: "  \n\t\n \r\n", want: "blank.txt: invalid article: text is empty"},
		{name: "title-only.txt", body: "Just a headline\n", want: "title-only.txt: invalid article: text is empty"},
		{name: "png.txt", body: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", want: "png.txt:1: invalid article: not valid UTF-8 at offset 0 of the file (line 1, column 1)"},
		{name: "zip.txt", body: "PK\x03\x04\x14\x00", want: "zip.txt:1: invalid article: looks binary: control byte 0x3 at offset 2 of the file (line 1, column 3)"},
		// The offset is the file's: the title line and the blank line count.
		{name: "latin1.txt", body: "Title\n\nGood line.\nBad \xe9t\xe9 here.\n", want: "latin1.txt:4: invalid article: not valid UTF-8 at offset 22 of the file (line 4, column 5)"},
		{name: "nul.txt", body: "Title\n\nA NUL\x00 byte.\n", want: "nul.txt:3: invalid article: looks binary: control byte 0x0 at offset 12 of the file (line 3, column 6)"},
		{name: "future.txt", body: "Title\n\n28 September, 2999\n\nKerry warned Lavrov.\n", want: "future.txt: invalid article: published 2999-09-28 is in the future"},
		{name: "good.txt", body: "Title\n\n28 September, 2016\n\nKerry warned Lavrov.\n"},
		// A first line over MaxTitleBytes is not a title: the article has none.
		{name: "megatitle.txt", body: strings.Repeat("x", mib) + "\n\nKerry warned Lavrov.\n"},
		{name: "huge.txt", make: func(t *testing.T, dir string) bool {
			// 100 MB, sparse: the reader reads no more than the limit plus one byte.
			f, err := os.Create(filepath.Join(dir, "huge.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("Title\n\nText.\n"); err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(100 << 20); err != nil {
				t.Fatal(err)
			}
			return true
		}, want: fmt.Sprintf("huge.txt: invalid article: file is %d bytes, want at most %d", 100<<20, DefaultMaxBytes)},
		{name: "loop.txt", make: func(t *testing.T, dir string) bool {
			return os.Symlink("loop.txt", filepath.Join(dir, "loop.txt")) == nil
		}, want: "loop.txt: invalid article: cannot read: too many levels of symbolic links"},
		{name: "dangling.txt", make: func(t *testing.T, dir string) bool {
			return os.Symlink("nowhere.txt", filepath.Join(dir, "dangling.txt")) == nil
		}, want: "dangling.txt: invalid article: cannot read: no such file or directory"},
		{name: "folder.txt", make: func(t *testing.T, dir string) bool {
			writeFile(t, dir, "real/a.md", "not read")
			return os.Symlink("real", filepath.Join(dir, "folder.txt")) == nil
		}, want: "folder.txt: invalid article: cannot read: not a regular file (a folder)"},
		{name: "noperm.txt", make: func(t *testing.T, dir string) bool {
			if os.Geteuid() == 0 || runtime.GOOS == "windows" {
				return false // root reads anything
			}
			p := writeFile(t, dir, "noperm.txt", "Title\n\nText.\n")
			return os.Chmod(p, 0) == nil
		}, want: "noperm.txt: invalid article: cannot read: permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.make != nil {
				if !tc.make(t, dir) {
					t.Skip("cannot make this file here")
				}
			} else {
				writeFile(t, dir, tc.name, tc.body)
			}
			// A good article after the bad one: the walk goes on.
			writeFile(t, dir, "zz-after.txt", "After\n\nRussia bombed Aleppo.\n")
			items := collect(t, Reader{}, dir)
			if len(items) != 2 || items[1].Err != nil || items[1].Doc.ID != "zz-after" {
				t.Fatalf("items %+v, want the file and then zz-after read", items)
			}
			it := items[0]
			if tc.want == "" {
				if it.Err != nil {
					t.Fatalf("rejected: %v", it.Err)
				}
				return
			}
			if it.Err == nil || !errors.Is(it.Err, ErrInvalid) || !strings.Contains(it.Err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrInvalid containing %q", it.Err, tc.want)
			}
			if !strings.HasPrefix(it.Err.Error(), filepath.Join(dir, tc.name)) || it.Doc.Origin != filepath.Join(dir, tc.name) {
				t.Errorf("rejection %q (origin %q) does not start with the file's path", it.Err, it.Doc.Origin)
			}
		})
	}
}

// TestMegaTitle: a plain-text file whose first line is 1 MB has no title; JSON Lines
// and Validate reject a 1 MB title with the field and the limit.
func TestMegaTitle(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	d := ParseText("a.txt", []byte(big+"\n\nKerry warned Lavrov.\n"))
	if d.Title != "" || !strings.HasPrefix(d.Text, "xxx") || !strings.HasSuffix(d.Text, "\n\nKerry warned Lavrov.") {
		t.Errorf("title %d bytes, text %d bytes: want no title and the line in the text", len(d.Title), len(d.Text))
	}
	err := Validate(Document{ID: "a", Title: big, Text: "x"}, 0)
	if want := fmt.Sprintf("title is %d bytes, want at most %d", 1<<20, MaxTitleBytes); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Validate: %v, want %q", err, want)
	}
}

// TestBadJSONLines: each bad record of a JSON Lines file is one rejected Item naming
// file:line and what is wrong; the good records around them are read.
func TestBadJSONLines(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       string // substring of the rejection; "" for accepted
	}{
		{"good", `{"id":"a","title":"T","published":"2016-09-28","text":"Kerry warned Lavrov.","extra":[1]}`, ""},
		{"null", `null`, `invalid article: line is null, not a JSON object, want a JSON object {"id": ..., "text": ...}`},
		{"not json", `Kerry warned Lavrov.`, `malformed JSON: the line starts "Kerry warned Lavrov.", want a JSON object`},
		{"array", `[{"id":"a","text":"x"}]`, "line is a JSON array, not a JSON object"},
		{"string", `"text"`, "line is a JSON string, not a JSON object"},
		{"number", `42`, "line is a JSON number, not a JSON object"},
		{"bad array", `[1,`, `malformed JSON: the line starts "[1,"`},
		{"boolean", `true`, "line is a JSON boolean, not a JSON object"},
		{"truncated", `{"id":"a","text":"Kerry`, "malformed JSON near offset 23 of the line: unexpected end of JSON input"},
		{"trailing garbage", `{"id":"a","text":"x"} {`, "malformed JSON near offset"},
		{"id a number", `{"id":7,"text":"x"}`, "field id is a JSON number, want a string"},
		{"text an object", `{"id":"a","text":{"body":"x"}}`, "field text is a JSON object, want a string"},
		{"no id", `{"text":"Kerry warned Lavrov."}`, "id is empty"},
		{"no text", `{"id":"a","title":"T"}`, "text is empty"},
		{"white space text", `{"id":"a","text":"  \n\t "}`, "text is only white space (5 bytes)"},
		{"nul in text", `{"id":"a","text":"a\u0000b"}`, "text looks binary (control byte 0x0 at offset 1 of the text)"},
		{"invalid utf8", "{\"id\":\"a\",\"text\":\"caf\xe9\"}", "line is not valid UTF-8 (at offset 21 of the line)"},
		{"not a date", `{"id":"a","published":"last Tuesday","text":"x"}`, `field published: "last Tuesday" is not a date`},
		{"future date", `{"id":"a","published":"2999-01-01","text":"x"}`, "published 2999-01-01 is in the future"},
		{"title 1 MB", `{"id":"a","title":"` + strings.Repeat("t", 1<<20) + `","text":"x"}`, fmt.Sprintf("title is %d bytes, want at most %d", 1<<20, MaxTitleBytes)},
		{"text over the limit", `{"id":"a","text":"` + strings.Repeat("x", DefaultMaxBytes+1) + `"}`, fmt.Sprintf("text is %d bytes, want at most %d", DefaultMaxBytes+1, DefaultMaxBytes)},
		{"line over the limit", `{"id":"a","text":"` + strings.Repeat("x", maxLine) + `"}`, fmt.Sprintf("line is longer than %d bytes", maxLine)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// The bad line is line 3: a good one before it, a blank line, and one after.
			body := `{"id":"first","text":"Russia bombed Aleppo."}` + "\n\n" + tc.line + "\n" + `{"id":"last","text":"Syria seized Farafira."}` + "\n"
			p := writeFile(t, dir, "a.jsonl", body)
			items := collect(t, Reader{}, dir)
			if len(items) != 3 || items[0].Err != nil || items[2].Err != nil || items[2].Doc.ID != "last" {
				t.Fatalf("items %v, want the good records around the bad one read", summarize(items))
			}
			it := items[1]
			if it.Doc.Origin != p+":3" {
				t.Errorf("origin %q, want %s:3", it.Doc.Origin, p)
			}
			if tc.want == "" {
				if it.Err != nil {
					t.Fatalf("rejected: %v", it.Err)
				}
				return
			}
			if it.Err == nil || !errors.Is(it.Err, ErrInvalid) || !strings.Contains(it.Err.Error(), tc.want) || !strings.HasPrefix(it.Err.Error(), p+":3: ") {
				t.Fatalf("err = %.300v, want ErrInvalid starting with %s:3 and containing %q", it.Err, p, tc.want)
			}
		})
	}
}

func summarize(items []Item) []string {
	var out []string
	for _, it := range items {
		s := it.Doc.Origin + " " + it.Doc.ID
		if it.Err != nil {
			s += fmt.Sprintf(" (%.200v)", it.Err)
		}
		out = append(out, s)
	}
	return out
}

// TestWalkManyFiles: a folder of 10,000 tiny files in 100 sub-folders is read whole, in
// lexical order, in well under a second of reading.
func TestWalkManyFiles(t *testing.T) {
	const n = 10_000
	dir := t.TempDir()
	for i := range 100 {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for j := range n / 100 {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("a%03d.txt", j)), []byte("T\n\nx.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := time.Now()
	items := collect(t, Reader{}, dir)
	took := time.Since(start)
	if len(items) != n {
		t.Fatalf("%d items, want %d", len(items), n)
	}
	prev := ""
	for _, it := range items {
		if it.Err != nil {
			t.Fatalf("rejected: %v", it.Err)
		}
		if it.Doc.Origin <= prev {
			t.Fatalf("%s after %s: not in lexical order", it.Doc.Origin, prev)
		}
		prev = it.Doc.Origin
	}
	t.Logf("read %d files in %v", n, took)
	if took > 20*time.Second {
		t.Errorf("reading %d tiny files took %v", n, took)
	}
}

// TestWalkLinks: a link loop between folders does not make the walk endless (links to
// folders inside a folder are not followed), a path given to Walk may be a link to a
// folder, and a link loop given to Walk is an error naming it.
func TestWalkLinks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "corpus/a.txt", "A\n\nKerry met Lavrov.\n")
	writeFile(t, dir, "corpus/sub/b.jsonl", `{"id":"b","text":"Russia bombed Aleppo."}`+"\n")
	for _, l := range []struct{ target, link string }{
		{"..", "corpus/sub/up"},                 // a loop through the parent
		{"../corpus", "corpus/sub/again.jsonl"}, // a link to a folder with an article name
		{"corpus", "link"},                      // a link to the folder, given to Walk
		{"self.txt", "self.txt"},                // a loop, given to Walk
	} {
		if err := os.Symlink(l.target, filepath.Join(dir, l.link)); err != nil {
			t.Skipf("symlink: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, root := range []string{"corpus", "link"} {
		var got []string
		err := Reader{}.Walk(ctx, []string{filepath.Join(dir, root)}, func(it Item) error {
			s := strings.TrimPrefix(it.Doc.Origin, dir+string(filepath.Separator))
			if it.Err != nil {
				s += " rejected"
			}
			got = append(got, s)
			return nil
		})
		if err != nil {
			t.Fatalf("Walk(%s): %v", root, err)
		}
		want := root + "/a.txt," + root + "/sub/again.jsonl rejected," + root + "/sub/b.jsonl:1"
		if strings.Join(got, ",") != want {
			t.Errorf("Walk(%s) = %s, want %s", root, strings.Join(got, ","), want)
		}
	}
	err := Reader{}.Walk(ctx, []string{filepath.Join(dir, "self.txt")}, func(Item) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "self.txt: too many levels of symbolic links") {
		t.Errorf("Walk of a link loop: %v, want an error naming it", err)
	}
}

// TestStdinBad: standard input that is empty, blank or binary is one rejected Item
// naming stdin (and the line, for bytes that are not text).
func TestStdinBad(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "stdin: invalid article: text is empty"},
		{" \n\n\t", "stdin: invalid article: text is empty"},
		{"Title\n\n\x00\x01\x02", "stdin:3: invalid article: looks binary: control byte 0x0 at offset 7 of the file (line 3, column 1)"},
		{"null", "stdin: invalid article: text is empty"}, // a one-word plain-text article: its title
		{strings.Repeat("x", DefaultMaxBytes+10), fmt.Sprintf("stdin: invalid article: input is larger than %d bytes", DefaultMaxBytes)},
		{"{\"id\":\"a\"}\nnull\n", "stdin:1: invalid article: text is empty"},
	} {
		items := collect(t, Reader{Stdin: strings.NewReader(tc.in)}, "-")
		if len(items) == 0 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), tc.want) {
			t.Errorf("stdin %.40q: %v, want %q", tc.in, summarize(items), tc.want)
		}
	}
}

// TestByteOrderMark: JSON Lines led by a byte order mark are JSON Lines, from a file
// and from standard input; a lone byte that is not UTF-8 before '{' is not white space.
func TestByteOrderMark(t *testing.T) {
	const lines = "\ufeff{\"id\":\"a\",\"text\":\"Kerry warned Lavrov.\"}\n"
	p := writeFile(t, t.TempDir(), "bom.jsonl", lines)
	for _, items := range [][]Item{collect(t, Reader{}, p), collect(t, Reader{Stdin: strings.NewReader(lines)}, "-")} {
		if len(items) != 1 || items[0].Err != nil || items[0].Doc.ID != "a" {
			t.Errorf("items %v, want article a", summarize(items))
		}
	}
	items := collect(t, Reader{Stdin: strings.NewReader("\x85{\"id\":\"a\",\"text\":\"x\"}")}, "-")
	if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "stdin:1: invalid article: not valid UTF-8 at offset 0 of the file") {
		t.Errorf("items %v, want one plain-text article rejected at offset 0", summarize(items))
	}
}
