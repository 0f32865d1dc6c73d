// Package web holds the graph explorer that newsgraph serve --http serves at "/": a
// page built from ui/ (cytoscape.js, bundled by esbuild) into dist/, which is committed
// and embedded, so that serving it needs no npm. The page calls the newsgraph.v1 API
// through the Connect protocol on the same HTTP server.
//
// To change the page, edit ui/src and rebuild dist: cd web/ui && npm ci && npm run build,
// then commit ui/ and dist/ together.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed dist
var dist embed.FS

// Files returns the built page: index.html and assets/.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded: cannot happen
	}
	return sub
}

// contentSecurityPolicy lets the page load only its own script, styles and API: no
// inline script, no other origin, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type file struct {
	data []byte
	etag string
}

// Handler serves the explorer: "/" is index.html, "/assets/..." its script and styles;
// GET and HEAD only. Files carry an ETag of their content and "Cache-Control: no-cache",
// so a browser revalidates and gets a new build at once; every answer carries the
// page's Content-Security-Policy.
func Handler() http.Handler {
	files := map[string]file{}
	err := fs.WalkDir(Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Files(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files["/"+p] = file{data: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // dist is embedded: cannot happen
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			hd.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if p == "/" {
			p = "/index.html"
		}
		f, ok := files[p]
		if !ok || strings.HasPrefix(path.Base(p), ".") {
			http.NotFound(w, r)
			return
		}
		hd.Set("Cache-Control", "no-cache")
		hd.Set("ETag", f.etag)
		// ServeContent sets Content-Type from the name and answers If-None-Match.
		http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(f.data))
	})
}
