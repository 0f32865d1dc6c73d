package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// newExtractor returns the extractor the extract and eval commands use: the
// vocabulary file (or the embedded one) and, unless useNER is false, the embedded
// ner tagger (extract.DefaultConfig).
func newExtractor(vocab string, useNER bool, classifier string) (*extract.Extractor, error) {
	cfg := extract.DefaultConfig()
	cfg.VocabularyPath = vocab
	cfg.NoTagger = !useNER
	preds, err := classifierPredicates(classifier)
	if err != nil {
		return nil, err
	}
	cfg.ClassifierPredicates = preds
	return extract.New(cfg)
}

// classifierHelp documents the --classifier flag of extract, eval and serve.
const classifierHelp = "structural relations taken from the CoNLL04 relation classifier: default and all (member_of, lives_in, located_in, based_in, killed; located_in and based_in only where the parse links the two names), none, or a comma-separated list"

// classifierPredicates turns a --classifier value into extract.Config.ClassifierPredicates.
func classifierPredicates(v string) ([]string, error) {
	switch v {
	case "", "default":
		return nil, nil
	case "all":
		return extract.AllClassifierPredicates, nil
	case "none":
		return []string{}, nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

func runExtract(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "extract", "extract [--json] [--vocab FILE] [--ner=false] [--classifier default|all|none|LIST] PATH... | -",
		"Extract articles (files, folders, - for stdin) without a store and print, sentence by\n"+
			"sentence, the entities, relations and modality found and, for sentences with an event\n"+
			"word but no relation, why not. --json prints one JSON object per article.")
	asJSON := fs.Bool("json", false, "print JSON, one object per article")
	vocab := fs.String("vocab", "", "relation vocabulary file (default: the embedded vocabulary)")
	useNER := fs.Bool("ner", defaultNER, "let the statistical entity tagger (loader/ner) type names the rules do not know; --ner=false: rules only")
	classifier := fs.String("classifier", "default", classifierHelp)
	paths, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return usageError(fs, "no article given")
	}
	x, err := newExtractor(*vocab, *useNER, *classifier)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", err)
		return exitFail
	}
	failed := false
	err = doc.Reader{Stdin: e.stdin}.Walk(ctx, paths, func(it doc.Item) error {
		if it.Err != nil {
			fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", it.Err)
			failed = true
			return nil
		}
		ex, err := x.Explain(it.Doc)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", err)
			failed = true
			return nil
		}
		if *asJSON {
			b, err := json.Marshal(explanationJSON(it.Doc, ex))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s\n", b)
			return nil
		}
		printExplanation(e.stdout, it.Doc, ex)
		return nil
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph extract: %v\n", err)
		return exitFail
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// refJSON is an entity in extract's JSON.
type refJSON struct {
	Type graph.EntityType `json:"type"`
	Name string           `json:"name"`
}

type mentionJSON struct {
	Start  int              `json:"start"`
	End    int              `json:"end"`
	Text   string           `json:"text"`
	Kind   string           `json:"kind"`
	Type   graph.EntityType `json:"type"`
	Entity *refJSON         `json:"entity,omitempty"`
}

type relationJSON struct {
	Subject    refJSON  `json:"subject"`
	Predicate  string   `json:"predicate"`
	Object     refJSON  `json:"object"`
	Role       string   `json:"role,omitempty"`
	Modality   string   `json:"modality"`
	Speaker    *refJSON `json:"speaker,omitempty"`
	Confidence float64  `json:"confidence"`
	EventDate  string   `json:"eventDate,omitempty"`
}

type missedJSON struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	Relation string `json:"relation"`
	Reason   string `json:"reason"`
}

type sentenceJSON struct {
	Index      int            `json:"index"`
	Start      int            `json:"start"`
	End        int            `json:"end"`
	Text       string         `json:"text"`
	Entities   []mentionJSON  `json:"entities"`
	Relations  []relationJSON `json:"relations"`
	NoRelation []missedJSON   `json:"noRelation,omitempty"`
}

type articleJSON struct {
	ID        string         `json:"id"`
	Origin    string         `json:"origin,omitempty"`
	Title     string         `json:"title,omitempty"`
	Entities  []refJSON      `json:"entities"`
	Sentences []sentenceJSON `json:"sentences"`
}

func toRef(r graph.EntityRef) refJSON { return refJSON{Type: r.Type, Name: r.Name} }

func toRelation(s graph.Statement) relationJSON {
	r := relationJSON{
		Subject: toRef(s.Subject), Predicate: s.Predicate, Object: toRef(s.Object), Role: s.Role,
		Modality: string(s.Modality), Confidence: s.Confidence,
	}
	if s.Speaker != nil {
		sp := toRef(*s.Speaker)
		r.Speaker = &sp
	}
	if !s.EventDate.IsZero() {
		r.EventDate = s.EventDate.Format("2006-01-02")
	}
	return r
}

func explanationJSON(d doc.Document, ex *extract.Explanation) articleJSON {
	out := articleJSON{ID: d.ID, Origin: d.Origin, Title: d.Title, Entities: []refJSON{}, Sentences: []sentenceJSON{}}
	for _, en := range ex.Article.Entities {
		out.Entities = append(out.Entities, toRef(en.EntityRef))
	}
	for i, s := range ex.Sentences {
		sj := sentenceJSON{Index: i, Start: s.Start, End: s.End, Text: s.Text, Entities: []mentionJSON{}, Relations: []relationJSON{}}
		for _, m := range s.Mentions {
			mj := mentionJSON{Start: m.Start, End: m.End, Text: m.Text, Kind: m.Kind, Type: m.Type}
			if m.Entity != nil {
				r := toRef(*m.Entity)
				mj.Entity = &r
			}
			sj.Entities = append(sj.Entities, mj)
		}
		for _, st := range s.Relations {
			sj.Relations = append(sj.Relations, toRelation(st))
		}
		for _, m := range s.Missed {
			sj.NoRelation = append(sj.NoRelation, missedJSON(m))
		}
		out.Sentences = append(out.Sentences, sj)
	}
	return out
}

// printExplanation prints an Explanation for people, one block per sentence.
func printExplanation(w io.Writer, d doc.Document, ex *extract.Explanation) {
	fmt.Fprintf(w, "=== %s", d.ID)
	if d.Title != "" {
		fmt.Fprintf(w, "  %q", d.Title)
	}
	fmt.Fprintf(w, "  (%d sentences, %d entities, %d relations)\n", len(ex.Sentences), len(ex.Article.Entities), len(ex.Article.Statements))
	for i, s := range ex.Sentences {
		fmt.Fprintf(w, "\n[%d] %d:%d %q\n", i, s.Start, s.End, s.Text)
		for _, m := range s.Mentions {
			to := "(unresolved)"
			if m.Entity != nil {
				to = fmt.Sprintf("%s (%s)", m.Entity.Name, m.Entity.Type)
			}
			fmt.Fprintf(w, "    entity    %-30q %-11s -> %s\n", m.Text, m.Kind, to)
		}
		for _, st := range s.Relations {
			var b strings.Builder
			fmt.Fprintf(&b, "    relation  %s --%s--> %s   %s %.2f", st.Subject.Name, st.Predicate, st.Object.Name, st.Modality, st.Confidence)
			if st.Role != "" {
				fmt.Fprintf(&b, ", role %s", st.Role)
			}
			if st.Speaker != nil {
				fmt.Fprintf(&b, ", said by %s", st.Speaker.Name)
			}
			if !st.EventDate.IsZero() {
				fmt.Fprintf(&b, ", event %s", st.EventDate.Format("2006-01-02"))
			}
			fmt.Fprintln(w, b.String())
		}
		for _, m := range s.Missed {
			fmt.Fprintf(w, "    no %s from %q: %s\n", m.Relation, m.Text, m.Reason)
		}
	}
}
