package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's headless Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// TestExplorerBrowser drives the explorer in headless Chromium against a real server
// (bolt store in a temp folder, the example article loaded, HTTP on 127.0.0.1:0):
// search "Kerry", open the paths to Aleppo, click a hop and a drawn edge, and check the
// evidence sentences show with their article, date, modality and speaker; a bad filter
// shows the server's error. Screenshots go to NEWSGRAPH_SCREENSHOTS when set (e.g.
// docs/, for the README's explorer-path.png), else to a temp folder. Without Chromium
// it skips, except under CI=true, where it fails.
func TestExplorerBrowser(t *testing.T) {
	exe := chromiumPath
	if _, err := os.Stat(exe); err != nil {
		if p, lerr := exec.LookPath("chromium"); lerr == nil {
			exe = p
		} else if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed (%v): .ci/run installs Debian's chromium", err)
		} else {
			t.Skipf("chromium is not installed (%v): apt-get install chromium to run the browser test", err)
		}
	}
	shots := os.Getenv("NEWSGRAPH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	_, httpAddr := startServeHTTP(t, "--data", filepath.Join(t.TempDir(), "store"), "--load", reference)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 860),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		t0 := time.Now()
		defer func() { t.Logf("%s: %v", what, time.Since(t0).Round(time.Millisecond)) }()
		if err := chromedp.Do(ctx, steps...); err != nil {
			page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("%s: %v\npage text:\n%.2000s", what, err, page)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	eval := func(js string) []float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s (%d KB)", p, len(png)>>10)
	}
	contains := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", what, got, w)
			}
		}
	}
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(20*time.Second))
	}
	// clickAt clicks the page at the canvas position a script returns: [x, y] within #cy.
	clickAt := func(what, js string) {
		t.Helper()
		xy := eval(`(() => { const p = (` + js + `), r = document.getElementById("cy").getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()`)
		do(what, chromedp.MouseClickXY(xy[0], xy[1]))
	}
	const cy = "window.newsgraphExplorer.cy"

	do("load the page",
		chromedp.Navigate("http://"+httpAddr+"/"),
		chromedp.WaitVisible(chromedp.CSS("#search")),
		poll(`document.getElementById("stats").textContent.includes("articles")`),
	)
	contains("stats", text("#stats"), "1 articles")

	do(`search "Kerry"`,
		chromedp.SendKeys(chromedp.CSS("#search"), "Kerry"),
		chromedp.WaitVisible(chromedp.CSS("#results li .name")),
	)
	contains("search results", text("#results"), "John Kerry", "person")
	do("pick John Kerry",
		chromedp.Click(chromedp.CSS("#results li")),
		chromedp.WaitVisible(chromedp.CSS("#tab-relations .entity-head")),
		poll(cy+`.nodes().length > 1`),
	)
	contains("relations", text("#tab-relations"), "John Kerry", "met", "warned", "holds_role", "Sergey Lavrov", "1 article · 1 source")
	shot("explorer-entity.png")
	do("open the timeline",
		chromedp.Click(chromedp.CSS(`.tabs button[data-tab="timeline"]`)),
		chromedp.WaitVisible(chromedp.CSS("#tab-timeline ul.timeline")),
	)
	contains("timeline", text("#tab-timeline"), "2016-09-28", "John Kerry met Sergey Lavrov")

	do("open the paths to Aleppo",
		chromedp.SendKeys(chromedp.CSS("#path-to"), "Aleppo"),
		chromedp.Click(chromedp.CSS("#path-go")),
		chromedp.WaitVisible(chromedp.CSS(`button.hop[data-path="1"][data-hop="1"]`)),
	)
	contains("paths", text("#tab-paths"), "John Kerry → Aleppo", "Path 1", "3 hops", "Sergey Lavrov", "Russia", "Aleppo")

	do("click the first hop",
		chromedp.Click(chromedp.CSS(`button.hop[data-path="1"][data-hop="1"]`)),
		chromedp.WaitVisible(chromedp.CSS("#tab-evidence li.evidence blockquote")),
	)
	contains("evidence of hop 1", text("#tab-evidence"),
		"US Secretary of State John Kerry phoned his Russian counterpart", // the sentence
		"met", "asserted", "event 2016-09-28", "2016-09-28-us-threatens-to-end-syria-talks")

	// A drawn edge: Russia --bombed--> Aleppo, the path's last hop, clicked where
	// cytoscape drew it, once drawn.
	const bombed = cy + `.edges().filter((e) => e.data("label") === "bombed" && e.source().id() === "ng:e/state/russia" && e.target().id() === "ng:e/city/aleppo")[0]`
	do("wait for the drawing", chromedp.Sleep(500*time.Millisecond),
		poll(`Number.isFinite(`+bombed+`.renderedMidpoint().x)`))
	clickAt("click the drawn edge Russia --bombed--> Aleppo", bombed+`.renderedMidpoint()`)
	do("wait for its evidence", poll(`document.getElementById("tab-evidence").textContent.includes("bombardments")`))
	contains("evidence of the edge", text("#tab-evidence"), "Russia", "bombed", "Aleppo", "asserted", "Intense bombardments of residential districts by Syrian and Russian warplanes")

	do("back to the first hop for the screenshot",
		chromedp.Click(chromedp.CSS(`.tabs button[data-tab="paths"]`)),
		chromedp.Click(chromedp.CSS(`button.hop[data-path="1"][data-hop="1"]`)),
		poll(`document.getElementById("tab-evidence").textContent.includes("phoned")`),
		chromedp.Sleep(300*time.Millisecond), // the highlight's redraw
	)
	shot("explorer-path.png")

	// An API error shows: a predicate the extractor does not know.
	do("filter on an unknown predicate",
		chromedp.SendKeys(chromedp.CSS("#f-predicates"), "teleported"),
		chromedp.Click(chromedp.CSS("#f-apply")),
		chromedp.WaitVisible(chromedp.CSS("#error")),
	)
	contains("error", text("#error-text"), "invalid_argument", "teleported")

	// Expanding a neighbour by clicking its node adds its relations to the graph.
	do("clear the filter",
		chromedp.Click(chromedp.CSS("#f-clear")),
		poll(`!document.body.classList.contains("busy") && `+cy+`.getElementById("ng:e/state/russia").nonempty()`),
	)
	before := eval(`[` + cy + `.nodes().length]`)[0]
	clickAt("click the node Russia", cy+`.getElementById("ng:e/state/russia").renderedPosition()`)
	do("wait for Russia's relations", poll(`document.querySelector("#tab-relations .entity-head h3").textContent === "Russia"`))
	after := eval(`[` + cy + `.nodes().length]`)[0]
	if shown := eval(`[document.getElementById("error").hidden ? 0 : 1]`)[0]; shown != 0 {
		t.Errorf("expanding Russia shows an error: %s", text("#error-text"))
	}
	if after <= before {
		t.Errorf("expanding Russia: %v nodes before, %v after", before, after)
	}
	contains("Russia's relations", text("#tab-relations"), "bombed", "Aleppo")
	shot("explorer-expand.png")
}
