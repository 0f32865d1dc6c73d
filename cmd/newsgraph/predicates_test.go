package main

import (
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/loader/extract"
)

// TestServeKnowsPredicates: serve gives the server its extractor's predicates, so a
// query on a well-formed predicate no vocabulary knows fails naming the field and
// listing them, while a known one (an event relation, a structural one) answers.
func TestServeKnowsPredicates(t *testing.T) {
	addr, stop := startServe(t, "--backend", "memstore")
	defer stop()
	if code, out, errs := cli(t, "", "load", "--addr", addr, reference); code != exitOK {
		t.Fatalf("load = %d\n%s%s", code, out, errs)
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		t.Fatal(err)
	}
	known := strings.Join(x.Predicates(), ", ")
	for _, tt := range []struct {
		name string
		args []string
		want string // in stderr; "" for success
	}{
		{"relations, unknown", []string{"relations", "United States", "--predicate", "bombd"}, `predicates[0]: "bombd" is not a known predicate, want one of ` + known},
		{"timeline, second unknown", []string{"timeline", "United States", "--predicate", "warned,bombd"}, `predicates[1]: "bombd" is not a known predicate, want one of ` + known},
		{"paths, unknown", []string{"paths", "John Kerry", "Aleppo", "--predicate", "bombd"}, `predicates[0]: "bombd" is not a known predicate`},
		{"relations, known event relation", []string{"relations", "United States", "--predicate", "warned"}, ""},
		{"relations, known structural relation", []string{"relations", "John Kerry", "--predicate", "holds_role"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := cli(t, "", append(append([]string{"query"}, tt.args...), "--addr", addr)...)
			if tt.want == "" {
				if code != exitOK {
					t.Errorf("exit %d, want %d\n%s%s", code, exitOK, out, errs)
				}
				return
			}
			if code == exitOK || !strings.Contains(errs, "InvalidArgument") || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want a failure with InvalidArgument and %q", code, errs, tt.want)
			}
		})
	}
}
