// Command soak is the helper of bench/soak.sh, the long mixed-load run of one
// `newsgraph serve`:
//
//	soak synth -n 6000 > corpus.jsonl              # synthetic articles (no shared corpora)
//	soak requests -addr 127.0.0.1:17480 -out DIR   # ghz request files from a running server
//	soak interval [-kinds F -label N] FILE.json... # one interval's ghz reports merged
//	soak plot -in soak.tsv -out soak.svg           # the per-interval curves as an SVG chart
//
// requests asks the server (SearchEntities by prefix, then ListRelations) for entities
// and linked pairs and writes, for ghz -B, length-prefixed binary requests:
// stats.bin (GetStats), search.bin (SearchEntities, prefix and fuzzy), relations.bin
// (ListRelations), between.bin (GetRelationsBetween) and paths.bin (FindPaths k=3,
// max_hops=4). interval reads ghz JSON reports (ghz -O json, which lists every call)
// and prints "calls errors p50_ms p99_ms" over all their calls, then one line per error
// kind on standard error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/proto"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: soak synth|requests|interval|plot [flags]")
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "synth":
		err = synth(args)
	case "requests":
		err = requests(args)
	case "interval":
		err = interval(args)
	case "plot":
		err = plot(args)
	default:
		err = fmt.Errorf("unknown command %q (want synth, requests, interval or plot)", cmd)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "soak %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// Synthetic corpus: news-like sentences about states, cities and officials (as the
// crash harness's), so that every article has entities and statements, and a unique
// line so that no two articles are the same.
var (
	synthStates = []string{"United States", "Russia", "Turkey", "Iran", "France", "Britain", "Germany",
		"Israel", "Jordan", "Iraq", "Saudi Arabia", "Egypt", "Qatar", "China", "Lebanon"}
	synthCities = []string{"Aleppo", "Damascus", "Homs", "Idlib", "Raqqa", "Hama", "Latakia", "Daraa",
		"Mosul", "Ankara", "Moscow", "Tehran", "Beirut", "Geneva"}
	synthPeople = []string{"John Kerry", "Sergei Lavrov", "Mevlut Cavusoglu", "Mohammad Javad Zarif",
		"Jean-Marc Ayrault", "Boris Johnson", "Staffan de Mistura", "Bashar al-Assad"}
	synthVerbs = []string{"warned", "condemned", "accused", "criticised", "urged", "threatened"}
	synthDays  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
)

// synth writes -n synthetic articles as JSON lines on standard output.
func synth(args []string) error {
	fs := flag.NewFlagSet("synth", flag.ExitOnError)
	n := fs.Int("n", 6000, "articles")
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same corpus)")
	fs.Parse(args)
	r := rand.New(rand.NewPCG(*seed, 7))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	pair := func(xs []string) (string, string) {
		a := r.IntN(len(xs))
		b := (a + 1 + r.IntN(len(xs)-1)) % len(xs)
		return xs[a], xs[b]
	}
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	for i := range *n {
		s1, s2 := pair(synthStates)
		p1, p2 := pair(synthPeople)
		city := pick(synthCities)
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s on %s over the fighting in %s.\n", s1, pick(synthVerbs), s2, pick(synthDays), city)
		fmt.Fprintf(&b, "%s met %s in %s to discuss a ceasefire.\n", p1, p2, pick(synthCities))
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "Air strikes on %s killed %d civilians, the Syrian Observatory for Human Rights said.\n", pick(synthCities), 2+r.IntN(40))
		}
		if r.IntN(2) == 0 {
			a, c := pair(synthStates)
			fmt.Fprintf(&b, "%s condemned the attack in %s and accused %s of bombing hospitals.\n", a, pick(synthCities), c)
		}
		fmt.Fprintf(&b, "This is dispatch %d of the %s desk.\n", i, pick(synthCities))
		line, err := json.Marshal(map[string]string{
			"id":        fmt.Sprintf("soak-%05d", i),
			"title":     fmt.Sprintf("%s %s %s over %s", s1, pick(synthVerbs), s2, city),
			"published": day.AddDate(0, 0, i%400).Format(time.RFC3339),
			"source":    "Synthetic Wire",
			"text":      b.String(),
		})
		if err != nil {
			return err
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	_, err := os.Stdout.Write(out.Bytes())
	return err
}

// requests writes the ghz request files from what the server at -addr holds.
func requests(args []string) error {
	fs := flag.NewFlagSet("requests", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:17480", "server address")
	out := fs.String("out", "", "folder for the request files")
	n := fs.Int("n", 300, "requests per file at most")
	fs.Parse(args)
	if *out == "" {
		return errors.New("-out is required")
	}
	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", *addr, err)
	}
	defer conn.Close()
	c := pb.NewNewsGraphServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Entities: by prefix, every capital letter, the best matches first.
	seen := map[string]bool{}
	var ids, names []string
	for ch := 'A'; ch <= 'Z'; ch++ {
		res, err := c.SearchEntities(ctx, &pb.SearchEntitiesRequest{Query: string(ch), Mode: pb.SearchMode_SEARCH_MODE_PREFIX, Limit: 50})
		if err != nil {
			return fmt.Errorf("SearchEntities %q at %s: %w", string(ch), *addr, err)
		}
		for _, e := range res.GetEntities() {
			if id := e.GetId(); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
				names = append(names, e.GetName())
			}
		}
	}
	// Linked pairs and entities with relations, from their first page of relations.
	var related []string
	var pairs [][2]string
	for _, id := range ids {
		res, err := c.ListRelations(ctx, &pb.ListRelationsRequest{Entity: &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: id}}, PageSize: 5})
		if err != nil {
			return fmt.Errorf("ListRelations %s at %s: %w", id, *addr, err)
		}
		if len(res.GetRelations()) == 0 {
			continue
		}
		related = append(related, id)
		for _, r := range res.GetRelations() {
			s, o := r.GetSubject().GetId(), r.GetObject().GetId()
			if s != "" && o != "" && s != o {
				pairs = append(pairs, [2]string{s, o})
			}
		}
	}
	if len(related) < 2 || len(pairs) == 0 {
		return fmt.Errorf("the server at %s holds too few related entities (%d of %d found) for requests", *addr, len(related), len(ids))
	}
	sel := func(id string) *pb.EntitySelector { return &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: id}} }
	r := rand.New(rand.NewPCG(1, 2))
	files := map[string][]proto.Message{"stats": {&pb.GetStatsRequest{}}}
	for i := 0; i < *n && i < len(related); i++ {
		files["relations"] = append(files["relations"], &pb.ListRelationsRequest{Entity: sel(related[i])})
	}
	for i := 0; i < *n && i < len(pairs); i++ {
		files["between"] = append(files["between"], &pb.GetRelationsBetweenRequest{Entity: sel(pairs[i][0]), Other: sel(pairs[i][1])})
	}
	for range min(*n, len(related)*len(related)) {
		a, b := related[r.IntN(len(related))], related[r.IntN(len(related))]
		if a == b {
			continue
		}
		files["paths"] = append(files["paths"], &pb.FindPathsRequest{From: sel(a), To: sel(b), K: 3, MaxHops: 4})
	}
	for i := 0; i < *n && i < len(names); i++ {
		q, mode := names[i], pb.SearchMode_SEARCH_MODE_FUZZY
		if i%2 == 0 {
			q, mode = prefix(q, 3), pb.SearchMode_SEARCH_MODE_PREFIX
		}
		files["search"] = append(files["search"], &pb.SearchEntitiesRequest{Query: q, Mode: mode})
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for name, ms := range files {
		var buf bytes.Buffer
		for _, m := range ms {
			if _, err := protodelim.MarshalTo(&buf, m); err != nil {
				return fmt.Errorf("encode %s request: %w", name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(*out, name+".bin"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "soak requests: %d entities (%d with relations), %d linked pairs; %d relations, %d between, %d paths, %d search requests in %s\n",
		len(ids), len(related), len(pairs), len(files["relations"]), len(files["between"]), len(files["paths"]), len(files["search"]), *out)
	return nil
}

// prefix is the first n runes of s.
func prefix(s string, n int) string {
	rs := []rune(s)
	if len(rs) > n {
		rs = rs[:n]
	}
	return string(rs)
}

// ghzReport is the part of a ghz JSON report interval reads.
type ghzReport struct {
	Count   int64 `json:"count"`
	Details []struct {
		Latency int64  `json:"latency"` // nanoseconds
		Error   string `json:"error"`
		Status  string `json:"status"`
	} `json:"details"`
}

// interval merges the calls of ghz JSON reports: it prints "calls errors p50_ms
// p99_ms" (tab-separated) and, on standard error, each kind of error with its count.
//
// With -kinds FILE it also appends a row per report to FILE: -label, the report's
// name (without folder, interval prefix and .json), calls, errors, p50 and p99 ms.
func interval(args []string) error {
	fs := flag.NewFlagSet("interval", flag.ExitOnError)
	kindsFile := fs.String("kinds", "", "append per-report figures to this TSV file")
	label := fs.String("label", "", "first column of the -kinds rows (the interval)")
	fs.Parse(args)
	var all []int64
	var calls, errs int64
	kinds := map[string]int64{}
	var rows strings.Builder
	for _, f := range fs.Args() {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r ghzReport
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("read ghz report %s: %w", f, err)
		}
		var lat []int64
		var e int64
		for _, d := range r.Details {
			lat = append(lat, d.Latency)
			if d.Status != "OK" || d.Error != "" {
				e++
				kinds[fmt.Sprintf("%s: %s: %s", filepath.Base(f), d.Status, d.Error)]++
			}
		}
		calls += int64(len(lat))
		errs += e
		all = append(all, lat...)
		slices.Sort(lat)
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if _, after, ok := strings.Cut(name, "-"); ok {
			name = after
		}
		fmt.Fprintf(&rows, "%s\t%s\t%d\t%d\t%.2f\t%.2f\n", *label, name, len(lat), e, quantile(lat, 0.50), quantile(lat, 0.99))
	}
	slices.Sort(all)
	fmt.Printf("%d\t%d\t%.2f\t%.2f\n", calls, errs, quantile(all, 0.50), quantile(all, 0.99))
	if *kindsFile != "" {
		f, err := os.OpenFile(*kindsFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.WriteString(rows.String()); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", *kindsFile, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(os.Stderr, "%d× %s\n", kinds[k], k)
	}
	return nil
}

// quantile is the p-quantile of sorted nanosecond latencies, in milliseconds (0 when
// there are none).
func quantile(sorted []int64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]) / 1e6
}
