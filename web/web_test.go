package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestDist: the committed build is there and index.html names only assets it has (the
// page is what CI serves: it never runs npm).
func TestDist(t *testing.T) {
	b, err := fs.ReadFile(Files(), "index.html")
	if err != nil {
		t.Fatalf("dist/index.html: %v (build it: cd web/ui && npm ci && npm run build)", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="(assets/[^"]+)"`).FindAllStringSubmatch(string(b), -1)
	if len(refs) < 2 {
		t.Fatalf("index.html names %d assets, want the script and the styles", len(refs))
	}
	h := Handler()
	for _, m := range refs {
		if _, err := fs.Stat(Files(), m[1]); err != nil {
			t.Errorf("index.html names %s: %v", m[1], err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+m[1], nil))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET /%s = %d, %d bytes", m[1], rec.Code, rec.Body.Len())
		}
	}
}

// TestHandler: "/" is the page with its CSP and an ETag that revalidates; unknown
// paths are 404, other methods 405.
func TestHandler(t *testing.T) {
	h := Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<title>newsgraph explorer</title>") ||
		!strings.Contains(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET / = %d %v", rec.Code, rec.Header())
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, req)
	if rec2.Code != http.StatusNotModified {
		t.Errorf("GET / with its ETag = %d, want 304", rec2.Code)
	}
	for _, tt := range []struct {
		method, path string
		want         int
	}{{"GET", "/nope.js", 404}, {"GET", "/assets/../../web.go", 404}, {"POST", "/", 405}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, tt.want)
		}
	}
}
