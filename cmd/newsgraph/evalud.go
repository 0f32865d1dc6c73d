package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/newsgraph/newsgraph/loader/depparse"
)

// udReport is the JSON form of eval ud.
type udReport struct {
	File      string  `json:"file"`
	Sentences int     `json:"sentences"`
	Words     int     `json:"words"`
	UPOS      float64 `json:"upos"`
	UAS       float64 `json:"uas"`
	LAS       float64 `json:"las"`
	TokensPS  float64 `json:"tokens_per_second"`
}

// evalUD parses every sentence of a CoNLL-U file with its gold tokenization
// and prints UPOS accuracy, UAS and LAS, ending with "LAS <number>".
func evalUD(ctx context.Context, e env, path string, asJSON bool) int {
	f, err := os.Open(path)
	if err != nil {
		return evalFail(e, err)
	}
	sents, err := depparse.ReadCoNLLU(f)
	f.Close()
	if err != nil {
		return evalFail(e, fmt.Errorf("%s: %w", path, err))
	}
	if len(sents) == 0 {
		return evalFail(e, fmt.Errorf("%s: no sentences", path))
	}
	p, err := depparse.Load()
	if err != nil {
		return evalFail(e, err)
	}
	sc := depparse.Evaluate(p, sents)
	if ctx.Err() != nil {
		return evalFail(e, ctx.Err())
	}
	if asJSON {
		b, err := json.MarshalIndent(udReport{
			File: path, Sentences: sc.Sentence, Words: sc.Words,
			UPOS: sc.UPOSAcc(), UAS: sc.UASPct(), LAS: sc.LASPct(), TokensPS: sc.TokensPerSec(),
		}, "", "  ")
		if err != nil {
			return evalFail(e, err)
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s\n", path)
	sc.Report(e.stdout, 12)
	return exitOK
}
