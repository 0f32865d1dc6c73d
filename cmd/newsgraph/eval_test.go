package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs a command in-process and returns its exit status, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestEvalGoldCommand(t *testing.T) {
	examples := filepath.Join("..", "..", "examples")
	code, out, errs := runCmd("eval", "gold", examples)
	if code != exitOK || !strings.HasPrefix(lastLine(out), "F1 ") || !strings.Contains(out, "must_not violations 0") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	code, out, _ = runCmd("eval", "--json", "gold", examples)
	var rep struct {
		Task   string
		F1     float64
		Tables []struct{ Title string }
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep.Task != "gold" || len(rep.Tables) != 3 || rep.F1 <= 0 {
		t.Errorf("--json: exit %d, %v, %+v", code, err, rep)
	}
}

func TestEvalUsage(t *testing.T) {
	for _, args := range [][]string{{"eval"}, {"eval", "nosuch", "x"}, {"eval", "gold"}} {
		if code, _, _ := runCmd(args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, errs := runCmd("eval", "conll04", "no/such/file.json"); code != exitFail || !strings.Contains(errs, "no/such/file.json") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestExtractCommand(t *testing.T) {
	art := filepath.Join("..", "..", "examples", "articles", "2016-09-28-us-threatens-to-end-syria-talks.txt")
	code, out, errs := runCmd("extract", art)
	if code != exitOK || !strings.Contains(out, "relation  United States --warned--> Russia") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	code, out, errs = runCmd("extract", "--json", art)
	var a struct {
		ID        string
		Sentences []struct {
			Text      string
			Relations []struct{ Predicate string }
		}
	}
	if err := json.Unmarshal([]byte(out), &a); code != exitOK || err != nil || len(a.Sentences) == 0 {
		t.Fatalf("--json: exit %d, %v, stderr %q", code, err, errs)
	}
	if code, _, _ := runCmd("extract"); code != exitUsage {
		t.Errorf("no path: exit %d", code)
	}
}

func TestEvalUDCommand(t *testing.T) {
	file := filepath.Join("testdata", "tiny.conllu")
	code, out, errs := runCmd("eval", "ud", file)
	if code != exitOK || !strings.HasPrefix(lastLine(out), "LAS ") || !strings.Contains(out, "UAS ") || !strings.Contains(out, "UPOS ") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	var las float64
	if _, err := fmt.Sscanf(lastLine(out), "LAS %f", &las); err != nil || las < 80 {
		t.Errorf("LAS line %q: %v (two plain sentences should parse almost right)", lastLine(out), err)
	}
	code, out, _ = runCmd("eval", "--json", "ud", file)
	var rep struct {
		Words          int
		UPOS, UAS, LAS float64
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep.Words != 10 || rep.UAS <= 0 {
		t.Errorf("--json: exit %d, %v, %+v", code, err, rep)
	}
	if code, _, errs := runCmd("eval", "ud", "no/such/file.conllu"); code != exitFail || !strings.Contains(errs, "no/such/file.conllu") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}
