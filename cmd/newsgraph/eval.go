package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/newsgraph/newsgraph/loader/eval"
	"github.com/newsgraph/newsgraph/loader/ner"
)

// defaultNER says whether extract and eval let the ner tagger type unknown names
// by default. It is on, like extract.DefaultConfig: see extract.NERTagger for the
// measurements; --ner=false gives the rules alone.
const defaultNER = true

func runEval(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "eval", "eval ud|conll2003|conll04|gold [--json] [--vocab FILE] [--ner=false] [--classifier default|all|none|LIST] PATH",
		"Score newsgraph on annotated data and print a table ending with a line \"F1 <number>\"\n"+
			"(ud: \"LAS <number>\"):\n"+
			"  ud FILE         the dependency parser and tagger on a CoNLL-U file with gold\n"+
			"                  tokenization: UPOS accuracy, UAS, LAS\n"+
			"  conll2003 FILE  the ner tagger on a CoNLL-2003 file (exact spans, PER LOC ORG MISC)\n"+
			"  conll04 FILE    the extractor on a CoNLL04 JSON file: entities and strict relations\n"+
			"                  (F1 is the relation F1)\n"+
			"  gold DIR        the extractor on a folder like examples/ (articles/ and gold/*.json):\n"+
			"                  entities, relations, relations with modality, must_not violations\n"+
			"                  (F1 is the relation F1)")
	asJSON := fs.Bool("json", false, "print the whole report as JSON")
	vocab := fs.String("vocab", "", "relation vocabulary file (default: the embedded vocabulary)")
	useNER := fs.Bool("ner", defaultNER, "let the statistical entity tagger type names the rules do not know (conll04, gold); --ner=false: rules only")
	classifier := fs.String("classifier", "default", classifierHelp+" (conll04, gold)")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return usageError(fs, "want a task (ud, conll2003, conll04 or gold) and a path")
	}
	task, path := pos[0], pos[1]
	if task == "ud" {
		return evalUD(ctx, e, path, *asJSON)
	}
	var rep eval.Report
	switch task {
	case "conll2003":
		t, err := ner.Default()
		if err != nil {
			return evalFail(e, err)
		}
		f, err := os.Open(path)
		if err != nil {
			return evalFail(e, err)
		}
		rep, err = eval.CoNLL2003(t, path, f)
		f.Close()
		if err != nil {
			return evalFail(e, fmt.Errorf("%s: %w", path, err))
		}
	case "conll04":
		f, err := os.Open(path)
		if err != nil {
			return evalFail(e, err)
		}
		sents, err := eval.ReadCoNLL04(f)
		f.Close()
		if err != nil {
			return evalFail(e, fmt.Errorf("%s: %w", path, err))
		}
		x, err := newExtractor(*vocab, *useNER, *classifier)
		if err != nil {
			return evalFail(e, err)
		}
		rep = eval.CoNLL04(x, path, sents)
	case "gold":
		x, err := newExtractor(*vocab, *useNER, *classifier)
		if err != nil {
			return evalFail(e, err)
		}
		rep, err = eval.GoldDir(x, path)
		if err != nil {
			return evalFail(e, err)
		}
	default:
		return usageError(fs, "unknown task %q: want ud, conll2003, conll04 or gold", task)
	}
	if ctx.Err() != nil {
		return evalFail(e, ctx.Err())
	}
	if *asJSON {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return evalFail(e, err)
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
	} else {
		fmt.Fprint(e.stdout, rep.Text())
	}
	if len(rep.Errors) > 0 {
		return exitFail
	}
	return exitOK
}

func evalFail(e env, err error) int {
	fmt.Fprintf(e.stderr, "newsgraph eval: %v\n", err)
	return exitFail
}
