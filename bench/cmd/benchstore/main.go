// Command benchstore builds (or reuses) a corpus store for the benchmarks and writes the
// request files bench/ghz.sh gives ghz:
//
//	go run ./bench/cmd/benchstore -articles 20000 -out /tmp/ng-ghz
//
// It prints the store's folder on standard output; -out receives relations.json
// (ListRelationsRequest), between.json (GetRelationsBetweenRequest) and paths.json
// (FindPathsRequest), each a JSON array ghz sends round robin.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/bench"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

func main() {
	articles := flag.Int("articles", 20000, "corpus articles in the store")
	out := flag.String("out", "", "folder for the ghz request files (none when empty)")
	n := flag.Int("n", 500, "requests per file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	in, err := bench.Store(ctx, *articles, func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchstore:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "benchstore: %s store, %d articles (%d stored), %d entities, %d relations, %d quads\n",
		in.CachedFrom, in.Articles, in.Stored, in.Stats.Entities, in.Stats.Relations, in.Stats.Quads)
	if *out != "" {
		if err := writeRequests(in, *out, *n); err != nil {
			fmt.Fprintln(os.Stderr, "benchstore:", err)
			os.Exit(1)
		}
	}
	fmt.Println(in.Dir)
}

type sel struct {
	ID string `json:"id"`
}

func writeRequests(in *bench.Info, dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var rel []map[string]any
	for _, e := range in.SampleRelated(n) {
		rel = append(rel, map[string]any{"entity": sel{e.ID}})
	}
	var between []map[string]any
	for i, e := range in.Edges {
		if i == n {
			break
		}
		between = append(between, map[string]any{"entity": sel{e[0]}, "other": sel{e[1]}})
	}
	var paths []map[string]any
	for _, p := range in.PathPairs(n, 500) {
		paths = append(paths, map[string]any{"from": sel{p[0].ID}, "to": sel{p[1].ID}, "k": 3, "max_hops": 4})
	}
	for name, v := range map[string]any{"relations": rel, "between": between, "paths": paths} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			return err
		}
		if err := writeBinary(filepath.Join(dir, name+".bin"), name, b); err != nil {
			return err
		}
	}
	return nil
}

// writeBinary writes the requests of a JSON array as length-prefixed binary messages,
// the form ghz -B reads: ghz then sends them as they are, round robin, instead of
// rendering a JSON template into a message for every call (which costs the load
// generator more CPU than the server spends on a look-up).
func writeBinary(path, kind string, jsonArray []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(jsonArray, &raw); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, r := range raw {
		var m proto.Message
		switch kind {
		case "relations":
			m = &pb.ListRelationsRequest{}
		case "between":
			m = &pb.GetRelationsBetweenRequest{}
		default:
			m = &pb.FindPathsRequest{}
		}
		if err := protojson.Unmarshal(r, m); err != nil {
			return err
		}
		if _, err := protodelim.MarshalTo(&buf, m); err != nil {
			return err
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
