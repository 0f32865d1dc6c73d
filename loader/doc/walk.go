package doc

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Reader reads articles from files, folders and standard input.
type Reader struct {
	MaxBytes int       // largest article text; 0: DefaultMaxBytes
	Stdin    io.Reader // read for the path "-"; nil: os.Stdin
}

// IsArticleFile reports whether a file inside a walked folder is read as an article:
// .txt (plain text) and .jsonl / .ndjson (JSON Lines).
func IsArticleFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".jsonl", ".ndjson":
		return true
	}
	return false
}

// Walk reads every path in order: a folder is walked recursively in lexical order
// (article files only), "-" is standard input (JSON Lines if its first byte is '{',
// else one plain-text article), any other file is read by its extension (.jsonl and
// .ndjson as JSON Lines, everything else as plain text). Each article read is handed to
// fn; a bad article is an Item with Err set. Walk stops at the first path that cannot
// be read, when fn returns an error or when ctx is done.
func (r Reader) Walk(ctx context.Context, paths []string, fn func(Item) error) error {
	for _, p := range paths {
		if err := r.walkPath(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

func (r Reader) walkPath(ctx context.Context, path string, fn func(Item) error) error {
	if path == "-" {
		in := r.Stdin
		if in == nil {
			in = os.Stdin
		}
		return r.readStream(ctx, in, "stdin", fn)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	if !info.IsDir() {
		return r.readFile(ctx, path, fn)
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && IsArticleFile(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := r.readFile(ctx, f, fn); err != nil {
			return err
		}
	}
	return nil
}

func (r Reader) readFile(ctx context.Context, path string, fn func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".jsonl" || ext == ".ndjson" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("read articles: %w", err)
		}
		defer f.Close()
		return ReadJSONL(ctx, f, path, r.MaxBytes, fn)
	}
	return r.readPlain(path, fn)
}

func (r Reader) readPlain(path string, fn func(Item) error) error {
	max := r.maxBytes()
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return fmt.Errorf("read articles: %s: %w", path, err)
	}
	return fn(r.plainItem(path, data))
}

func (r Reader) plainItem(origin string, data []byte) Item {
	max := r.maxBytes()
	if len(data) > max {
		return Item{Doc: Document{Origin: origin}, Err: fmt.Errorf("%s: %w: file is larger than %d bytes", origin, ErrInvalid, max)}
	}
	d := ParseText(origin, data)
	return Item{Doc: d, Err: Validate(d, max)}
}

func (r Reader) readStream(ctx context.Context, in io.Reader, name string, fn func(Item) error) error {
	br := newPeekReader(in)
	first, err := br.firstNonSpace()
	if err != nil {
		return fmt.Errorf("read articles: %s: %w", name, err)
	}
	if first == '{' {
		return ReadJSONL(ctx, br, name, r.MaxBytes, fn)
	}
	max := r.maxBytes()
	data, err := io.ReadAll(io.LimitReader(br, int64(max)+1))
	if err != nil {
		return fmt.Errorf("read articles: %s: %w", name, err)
	}
	return fn(r.plainItem(name, data))
}

func (r Reader) maxBytes() int {
	if r.MaxBytes > 0 {
		return r.MaxBytes
	}
	return DefaultMaxBytes
}
