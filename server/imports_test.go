package server

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainDoesNotImportAPI keeps one direction of dependency (server → graph ←
// loader): no package of graph/ or loader/, tests included, imports gRPC, Prometheus
// or OpenTelemetry, and none
// depends, even indirectly, on newsgraph's proto, server or cmd packages. (Third-party
// modules such as Cayley may use gRPC inside; that is not ours to police.)
func TestDomainDoesNotImportAPI(t *testing.T) {
	const mod = "github.com/newsgraph/newsgraph/"
	direct, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}}: {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`,
		mod+"graph/...", mod+"loader/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, direct)
	}
	lines := strings.Split(strings.TrimSpace(string(direct)), "\n")
	if len(lines) < 3 {
		t.Fatalf("go list found only %d packages:\n%s", len(lines), direct)
	}
	isAPI := func(p string) bool {
		return strings.HasPrefix(p, mod+"proto") || strings.HasPrefix(p, mod+"server") || strings.HasPrefix(p, mod+"cmd")
	}
	// Metrics and tracing are adapted in server/metrics and server/tracing: the domain
	// offers plain Go hooks (loader.Observer, CayleyStore.CacheStats).
	isTelemetry := func(p string) bool {
		return strings.HasPrefix(p, "github.com/prometheus/") || strings.HasPrefix(p, "go.opentelemetry.io/")
	}
	for _, l := range lines {
		pkg, imports, _ := strings.Cut(l, ": ")
		for _, p := range strings.Fields(imports) {
			if p == "google.golang.org/grpc" || strings.HasPrefix(p, "google.golang.org/grpc/") || isAPI(p) || isTelemetry(p) {
				t.Errorf("%s imports %s", pkg, p)
			}
		}
	}
	deps, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}",
		mod+"graph/...", mod+"loader/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, deps)
	}
	for _, p := range strings.Fields(string(deps)) {
		if isAPI(p) {
			t.Errorf("graph/ or loader/ depend on %s", p)
		}
	}
}
