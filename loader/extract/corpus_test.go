package extract

import (
	"bufio"
	"os"
	"testing"

	"github.com/newsgraph/newsgraph/loader/doc"
)

// readCorpus reads up to max documents (0: all) of a JSON Lines corpus; it skips the
// test when the file is absent.
func readCorpus(tb testing.TB, path string, max int) []doc.Document {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var docs []doc.Document
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	ln := 0
	for sc.Scan() {
		ln++
		d, err := doc.ParseJSON(path, sc.Bytes())
		if err != nil {
			continue
		}
		docs = append(docs, d)
		if max > 0 && len(docs) >= max {
			break
		}
	}
	return docs
}
