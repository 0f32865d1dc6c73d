package client_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestREADMEGoClient: the program of the README's "Go client" section is Example (the
// body of its main is the example's, with 127.0.0.1:7474 for the test server's address)
// and the output it shows is the example's.
func TestREADMEGoClient(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Go client\n")
	if !ok {
		t.Fatal("README.md has no \"## Go client\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, program, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("the Go client section has no ```go block")
	}
	program, rest, _ := strings.Cut(program, "```\n")
	_, output, _ := strings.Cut(rest, "```\n")
	output, _, _ = strings.Cut(output, "```\n")

	_, mainBody, ok := strings.Cut(program, "func main() {\n")
	if !ok {
		t.Fatal("the README's program has no func main")
	}
	mainBody = strings.TrimSuffix(strings.TrimSpace(mainBody), "}")

	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "example_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var example *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "Example" {
			example = fd
		}
	}
	if example == nil {
		t.Fatal("example_test.go has no func Example")
	}
	body := string(src[fset.Position(example.Body.Lbrace).Offset+1 : fset.Position(example.Body.Rbrace).Offset])
	code, wantOutput, ok := strings.Cut(body, "// Output:\n")
	if !ok {
		t.Fatal("Example has no output")
	}
	code = strings.ReplaceAll(code, "serverAddr", `"127.0.0.1:7474"`)
	if got, want := lines(mainBody), lines(code); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README's main:\n%s\n\nExample:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var exampleOutput []string
	for _, l := range lines(wantOutput) {
		exampleOutput = append(exampleOutput, strings.TrimPrefix(strings.TrimPrefix(l, "//"), " "))
	}
	if got, want := strings.TrimRight(output, "\n"), strings.Join(exampleOutput, "\n"); got != want {
		t.Errorf("README's output:\n%s\n\nExample's:\n%s", got, want)
	}
}

// lines returns the lines of s without surrounding white space, the empty ones dropped.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
