package doc

import (
	"bytes"
	"context"
	"errors"
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
// .txt (plain text), .jsonl / .ndjson (JSON Lines) and .html / .htm (news pages).
func IsArticleFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".jsonl", ".ndjson", ".html", ".htm":
		return true
	}
	return false
}

// Walk reads every path in order: a folder is walked recursively in lexical order
// (article files only), "-" is standard input (JSON Lines if its first byte is '{',
// else one plain-text article), any other file is read by its extension (.jsonl and
// .ndjson as JSON Lines, everything else as plain text). Each article read is handed to
// fn; a bad article is an Item with Err set.
//
// Inside a folder, symbolic links to files are followed and links to folders are not
// (so a link loop cannot make a walk endless); an article file that cannot be read (a
// dangling link, a link loop, no permission, not a regular file) and a sub-folder that
// cannot be listed are Items with Err set, and the walk goes on. A path given to Walk
// may itself be a link to a folder. Walk stops at the first path given to it that does
// not exist (or cannot be reached, or is a folder that cannot be listed), when fn
// returns an error or when ctx is done.
func (r Reader) Walk(ctx context.Context, paths []string, fn func(Item) error) error {
	for _, p := range paths {
		if err := r.walkPath(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

// entry is a file found in a walked folder, or why a part of the folder was skipped.
type entry struct {
	path string
	err  error
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
	root := path
	if l, err := os.Lstat(path); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a root that is a link; a trailing separator does.
		root = path + string(filepath.Separator)
	}
	var files []entry
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			if p == root {
				return err
			}
			files = append(files, entry{path: p, err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && IsArticleFile(p) {
			files = append(files, entry{path: p})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		var ferr error
		if f.err == nil {
			ferr = r.readFolderFile(ctx, f.path, fn)
		} else {
			ferr = fn(unreadable(f.path, f.err))
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

// unreadable is the Item of a file or folder inside a walked folder that cannot be
// read.
func unreadable(path string, err error) Item {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is said once, first
	}
	base := filepath.Base(path)
	return Item{
		Doc: Document{ID: strings.TrimSuffix(base, filepath.Ext(base)), URL: path, Origin: path},
		Err: fmt.Errorf("%s: %w: cannot read: %w", path, ErrInvalid, err),
	}
}

// readFolderFile reads an article file found in a folder: one that cannot be opened or
// is not a regular file (a link to a folder or a device) is an Item with Err set.
func (r Reader) readFolderFile(ctx context.Context, path string, fn func(Item) error) error {
	info, err := os.Stat(path) // follows a link
	if err != nil {
		return fn(unreadable(path, err))
	}
	if !info.Mode().IsRegular() {
		return fn(unreadable(path, fmt.Errorf("not a regular file (%s)", kindOf(info))))
	}
	return r.readFile(ctx, path, fn)
}

func (r Reader) readFile(ctx context.Context, path string, fn func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".jsonl" || ext == ".ndjson" {
		f, err := os.Open(path)
		if err != nil {
			return fn(unreadable(path, err))
		}
		defer f.Close()
		return ReadJSONL(ctx, f, path, r.MaxBytes, fn)
	}
	if isHTMLFile(path) {
		return r.readHTML(path, fn)
	}
	return r.readPlain(path, fn)
}

// readHTML reads an HTML page (see ParseHTML) of at most MaxHTMLFactor times the text
// limit; its main text must pass Validate like a text file's.
func (r Reader) readHTML(path string, fn func(Item) error) error {
	data, _, err := readUpTo(path, r.maxBytes()*MaxHTMLFactor)
	if err != nil {
		return fn(unreadable(path, err))
	}
	return fn(r.htmlItem(path, "", data))
}

// htmlItem is the Item of an HTML page read from origin.
func (r Reader) htmlItem(origin, pageURL string, data []byte) Item {
	if max := r.maxBytes() * MaxHTMLFactor; len(data) > max {
		return Item{Doc: fileDocument(origin), Err: fmt.Errorf("%s: %w: page is over %d bytes of HTML (%d times the text limit)", origin, ErrInvalid, max, MaxHTMLFactor)}
	}
	if i, ok := binaryAt(data); ok {
		line, col := lineCol(data, i)
		return Item{Doc: fileDocument(origin), Err: fmt.Errorf("%s:%d: %w: looks binary: control byte %#x at offset %d of the page (line %d, column %d)", origin, line, ErrInvalid, data[i], i, line, col)}
	}
	d, err := ParseHTML(origin, pageURL, data)
	if err != nil {
		return Item{Doc: d, Err: err}
	}
	return Item{Doc: d, Err: Validate(d, r.maxBytes())}
}

func (r Reader) readPlain(path string, fn func(Item) error) error {
	data, size, err := readUpTo(path, r.maxBytes())
	if err != nil {
		return fn(unreadable(path, err))
	}
	return fn(r.plainItem(path, data, size))
}

// readUpTo reads at most max+1 bytes of the file at path (one more than the limit,
// to tell an oversized file) and its size (the file's, when it is larger).
func readUpTo(path string, max int) (data []byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, 0, err
	}
	size = int64(len(data))
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > size {
		size = info.Size()
	}
	return data, size, nil
}

// fileDocument is the Document of a rejected file: its id (the file name without
// extension), URL and origin.
func fileDocument(origin string) Document {
	base := filepath.Base(origin)
	return Document{ID: strings.TrimSuffix(base, filepath.Ext(base)), URL: origin, Origin: origin}
}

// plainItem is the Item of a plain-text article of size bytes (-1: unknown), of which
// data holds the first (at most the limit plus one). Invalid UTF-8 and control bytes are reported at
// their line and byte offset in the file, before the title and the other lines that
// are not the story are taken out.
func (r Reader) plainItem(origin string, data []byte, size int64) Item {
	max := r.maxBytes()
	rejected := func(err error) Item { return Item{Doc: fileDocument(origin), Err: err} }
	if len(data) > max {
		if size > int64(max) {
			return rejected(fmt.Errorf("%s: %w: file is %d bytes, want at most %d", origin, ErrInvalid, size, max))
		}
		return rejected(fmt.Errorf("%s: %w: input is larger than %d bytes", origin, ErrInvalid, max))
	}
	if i := firstInvalidBytes(data); i >= 0 {
		line, col := lineCol(data, i)
		return rejected(fmt.Errorf("%s:%d: %w: not valid UTF-8 at offset %d of the file (line %d, column %d)", origin, line, ErrInvalid, i, line, col))
	}
	if i, ok := binaryAt(data); ok {
		line, col := lineCol(data, i)
		return rejected(fmt.Errorf("%s:%d: %w: looks binary: control byte %#x at offset %d of the file (line %d, column %d)", origin, line, ErrInvalid, data[i], i, line, col))
	}
	d := ParseText(origin, data)
	return Item{Doc: d, Err: Validate(d, max)}
}

// lineCol returns the line (from 1) and the byte of that line (from 1) of offset i.
func lineCol(data []byte, i int) (line, col int) {
	line = 1 + bytes.Count(data[:i], []byte{'\n'})
	return line, i - bytes.LastIndexByte(data[:i], '\n')
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
	return fn(r.plainItem(name, data, -1))
}

func (r Reader) maxBytes() int {
	if r.MaxBytes > 0 {
		return r.MaxBytes
	}
	return DefaultMaxBytes
}

// kindOf names the kind of a file that is not a regular file, for messages.
func kindOf(info fs.FileInfo) string {
	switch m := info.Mode(); {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return m.Type().String()
	}
}
