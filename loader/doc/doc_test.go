package doc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const example = "testdata/2016-09-28-us-threatens-to-end-syria-talks.txt"

func TestParseTextExample(t *testing.T) {
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	d := ParseText(example, data)
	if d.ID != "2016-09-28-us-threatens-to-end-syria-talks" {
		t.Errorf("ID = %q", d.ID)
	}
	if d.Title != "US threatens to end Syria talks with Russia" {
		t.Errorf("Title = %q", d.Title)
	}
	if want := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC); !d.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", d.Published, want)
	}
	for _, gone := range []string{"2 min read", "28 September, 2016", "[Getty]", "US threatens to end Syria talks with Russia"} {
		if strings.Contains(d.Text, gone) {
			t.Errorf("Text still contains %q", gone)
		}
	}
	for _, kept := range []string{
		"Washington has said it could end negotiations with Moscow",
		"The US has warned that it could end talks with Russia on the Syrian conflict",
		"The Syrian army said on Tuesday that it had seized the rebel-held district of Farafira",
	} {
		if !strings.Contains(d.Text, kept) {
			t.Errorf("Text lost %q", kept)
		}
	}
	if err := Validate(d, 0); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"28 September, 2016", "2016-09-28"},
		{"September 28, 2016", "2016-09-28"},
		{"2016-09-28", "2016-09-28"},
		{"1987-02-26T15:01:01Z", "1987-02-26"},
		{"Wed 05 Apr 2017", "2017-04-05"},
		{"Kerry said", ""},
		{"", ""},
	} {
		got, ok := ParseDate(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("ParseDate(%q) = %v, want not a date", tc.in, got)
			}
			continue
		}
		if !ok || got.Format("2006-01-02") != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tc.in, got, ok, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  Document
		want string // substring of the error; "" for valid
	}{
		{"valid", Document{ID: "a", Text: "Kerry warned Lavrov."}, ""},
		{"no id", Document{Text: "x", Origin: "f.jsonl:3"}, "f.jsonl:3: invalid article: id is empty"},
		{"empty", Document{ID: "a", Origin: "f.txt"}, "text is empty"},
		{"huge", Document{ID: "a", Text: strings.Repeat("x", 101)}, "text is 101 bytes, want at most 100"},
		{"bad utf8", Document{ID: "a", Text: "ok \xff\xfe"}, "not valid UTF-8 (at offset 3 of the text)"},
		{"binary", Document{ID: "a", Text: "PK\x03\x04"}, "looks binary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.doc, 100)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid containing %q", err, tc.want)
			}
		})
	}
}

func collect(t *testing.T, r Reader, paths ...string) []Item {
	t.Helper()
	var items []Item
	if err := r.Walk(context.Background(), paths, func(it Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return items
}

func TestReadJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a1","title":"T","published":"2017-04-05","source":"Reuters","text":"Russia bombed Aleppo.","extra":{"x":1}}`,
		``,
		`{"id":"a2","text":`,
		`{"id":"a3","published":"yesterday","text":"x"}`,
		`{"id":"","text":"no id"}`,
		`{"id":"a5","text":"last line without newline"}`,
	}, "\n")
	r := Reader{Stdin: strings.NewReader(in)}
	items := collect(t, r, "-")
	if len(items) != 5 {
		t.Fatalf("got %d items, want 5: %+v", len(items), items)
	}
	wantErr := []string{"", "stdin:3: invalid article: malformed JSON", "stdin:4: invalid article: field published", "stdin:5: invalid article: id is empty", ""}
	for i, it := range items {
		if wantErr[i] == "" {
			if it.Err != nil {
				t.Errorf("item %d: %v", i, it.Err)
			}
			continue
		}
		if it.Err == nil || !strings.Contains(it.Err.Error(), wantErr[i]) {
			t.Errorf("item %d: err = %v, want %q", i, it.Err, wantErr[i])
		}
	}
	if d := items[0].Doc; d.ID != "a1" || d.Source != "Reuters" || d.Published.Format("2006-01-02") != "2017-04-05" || d.Origin != "stdin:1" {
		t.Errorf("item 0 = %+v", d)
	}
}

func TestWalkFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", "Title B\n\nKerry met Lavrov in Geneva.\n")
	write("sub/a.jsonl", `{"id":"j1","text":"Russia bombed Aleppo."}`+"\n"+`{"id":"j2","text":"Syria seized Farafira."}`+"\n")
	write("empty.txt", "")
	write("notes.md", "ignored")
	items := collect(t, Reader{}, dir)
	var ids []string
	rejected := 0
	for _, it := range items {
		if it.Err != nil {
			rejected++
			continue
		}
		ids = append(ids, it.Doc.ID)
	}
	if got := strings.Join(ids, ","); got != "b,j1,j2" {
		t.Errorf("ids = %s, want b,j1,j2", got)
	}
	if rejected != 1 {
		t.Errorf("rejected = %d, want 1 (empty.txt)", rejected)
	}
	if err := (Reader{}).Walk(context.Background(), []string{filepath.Join(dir, "missing")}, func(Item) error { return nil }); err == nil {
		t.Error("Walk of a missing path: want an error")
	}
}

func TestStdinPlainText(t *testing.T) {
	items := collect(t, Reader{Stdin: strings.NewReader("\n  A headline\n\nThe US has warned Russia.\n")}, "-")
	if len(items) != 1 || items[0].Err != nil || items[0].Doc.Title != "A headline" || items[0].Doc.Text != "The US has warned Russia." {
		t.Fatalf("items = %+v", items)
	}
}
