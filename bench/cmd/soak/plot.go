package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// panel is one small chart of the plot: a column of the soak TSV over time.
type panel struct {
	col, title string
}

var panels = []panel{
	{"reads_per_s", "reads/s"},
	{"p99_ms", "read p99 (ms)"},
	{"p50_ms", "read p50 (ms)"},
	{"rss_mib", "server RSS (MiB)"},
	{"store_mib", "store on disk (MiB)"},
	{"articles_loaded_per_s", "articles loaded/s"},
}

// plot draws the curves of a soak TSV (bench/soak.sh's soak.tsv, with a header line
// and an "elapsed_s" column) as an SVG of small charts, one per figure, standard
// library only.
func plot(args []string) error {
	fs := flag.NewFlagSet("plot", flag.ExitOnError)
	in := fs.String("in", "", "soak TSV file")
	out := fs.String("out", "soak.svg", "SVG file to write")
	title := fs.String("title", "newsgraph soak", "title above the charts")
	fs.Parse(args)
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var header []string
	cols := map[string][]float64{}
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = fields
			continue
		}
		for i, h := range header {
			v := math.NaN()
			if i < len(fields) {
				if x, err := strconv.ParseFloat(fields[i], 64); err == nil {
					v = x
				}
			}
			cols[h] = append(cols[h], v)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", *in, err)
	}
	xs := cols["elapsed_s"]
	if len(xs) == 0 {
		return fmt.Errorf("%s has no rows with an elapsed_s column", *in)
	}
	const w, h, pw, ph = 1010, 620, 290, 230
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/><text x="10" y="18" font-size="14">%s</text>`+"\n", w, h, esc(*title))
	xmax := xs[len(xs)-1]
	for i, p := range panels {
		ys, ok := cols[p.col]
		if !ok {
			continue
		}
		ox, oy := 50+float64(i%3)*(pw+20), 40+float64(i/3)*(ph+50)
		ymax := 0.0
		for _, y := range ys {
			if !math.IsNaN(y) {
				ymax = math.Max(ymax, y)
			}
		}
		if ymax == 0 {
			ymax = 1
		}
		ymax *= 1.1
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12">%s</text>`+"\n", ox, oy+12, esc(p.title))
		top, bottom := oy+20, oy+ph
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%d" height="%.0f" fill="none" stroke="#999"/>`+"\n", ox, top, pw, bottom-top)
		for _, t := range []float64{0, 0.5, 1} {
			y := bottom - t*(bottom-top)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%s</text>`+"\n", ox-4, y+4, num(t*ymax))
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">0</text><text x="%.0f" y="%.0f" text-anchor="end">%s s</text>`+"\n",
			ox, bottom+14, ox+pw, bottom+14, num(xmax))
		var pts []string
		for j, y := range ys {
			if math.IsNaN(y) || j >= len(xs) {
				continue
			}
			px := ox + xs[j]/math.Max(xmax, 1)*pw
			py := bottom - y/ymax*(bottom-top)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px, py))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="%s"/>`+"\n", strings.Join(pts, " "))
	}
	b.WriteString("</svg>\n")
	if b.Len() == 0 {
		return errors.New("nothing to plot")
	}
	return os.WriteFile(*out, []byte(b.String()), 0o644)
}

// num formats an axis value briefly.
func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// esc escapes text for SVG.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
