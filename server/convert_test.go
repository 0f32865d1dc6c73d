package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// TestStreamedTextOffsets: the offset in the reason of a streamed article with an
// invalid or control byte counts in the text as sent, also when Unicode spaces that
// the server normalises (a no-break space of 2 bytes becomes " ", a zero-width space
// of 3 bytes is dropped) come before it; a text that normalisation empties is still
// rejected, and a good article with such spaces is stored. Through a real server on a
// bolt store.
func TestStreamedTextOffsets(t *testing.T) {
	ts := startServer(t, openStore(t, graph.BackendBolt), newExtractor(t), DefaultConfig())
	for _, tc := range []struct {
		name, text string
		want       string // the reason after "article 0 (id ...): invalid article: "; "" for stored
	}{
		{"no-break space before an invalid byte", "Kerry\u00a0met Lavrov in Gen\xe8ve.", "text is not valid UTF-8 (at offset 24 of the text)"},
		{"zero-width spaces before an invalid byte", "\ufeffKerry\u200b met\u200b Lavrov in Gen\xe8ve.", "text is not valid UTF-8 (at offset 32 of the text)"},
		{"thin and ideographic spaces before a NUL byte", "Kerry\u2009warned\u3000Lavrov\x00.", "text looks binary (control byte 0x0 at offset 23 of the text)"},
		{"narrow no-break space before a control byte", "It is 10\u202fkm from Aleppo\x07.", "text looks binary (control byte 0x7 at offset 25 of the text)"},
		{"no spaces to normalise", "Kerry met Lavrov in Gen\xe8ve.", "text is not valid UTF-8 (at offset 23 of the text)"},
		{"only no-break spaces", "\u00a0\u00a0\u00a0", "text is only white space (6 bytes)"},
		{"only zero-width spaces", "\u200b\u200b", "text is empty"},
		{"good text with Unicode spaces", "John\u00a0Kerry warned Russia\u2009on Monday.\u200b", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want != "" {
				// The offset in want is the bad byte's in the text as sent.
				bad := strings.IndexFunc(tc.text, func(r rune) bool { return r == '\ufffd' || r < 0x20 })
				if strings.Contains(tc.want, "offset") && !strings.Contains(tc.want, fmt.Sprintf("offset %d ", bad)) {
					t.Fatalf("test case: the bad byte is at offset %d of the text, want says %q", bad, tc.want)
				}
			}
			id := strings.ReplaceAll(tc.name, " ", "-")
			resp, err := load(t, ts.client, &pb.LoadArticlesRequest{Id: id, Title: "A title", Text: []byte(tc.text)})
			if err != nil {
				t.Fatalf("LoadArticles: %v", err)
			}
			rs := resp.GetResults()
			if len(rs) != 1 {
				t.Fatalf("results %v, want 1", rs)
			}
			if tc.want == "" {
				if rs[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED {
					t.Errorf("result %v, want STORED", rs[0])
				}
				return
			}
			want := fmt.Sprintf("article 0 (id %q): invalid article: %s", id, tc.want)
			if rs[0].GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_REJECTED || rs[0].GetReason() != want {
				t.Errorf("result 0: %v %q, want REJECTED %q", rs[0].GetStatus(), rs[0].GetReason(), want)
			}
		})
	}
	ts.serving(t)
}
