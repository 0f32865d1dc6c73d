package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/client"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// runExport streams the graph, or the neighbourhood of an entity, from a running
// server into a file or standard output. The export goes through the server (its
// ExportGraph stream), not a store folder opened here: the serving process holds the
// bolt store's file lock, and the server reads in batches without holding up loads.
func runExport(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "export", "export [flags] (--entity ENTITY [--depth N] | --all) [-o FILE]",
		"Exports the neighbourhood of ENTITY, or the whole graph, from a running server as\n"+
			"N-Quads (Cayley-compatible: `cayley load` reads it), GraphML or Graphviz DOT\n"+
			"(render with `dot -Tpng -o graph.png FILE`). GraphML and DOT are entity level:\n"+
			"nodes are entities (name, type), edges relations (predicate, article, source and\n"+
			"event counts). The format defaults to the extension of -o (.nq, .graphml, .dot,\n"+
			".gv), else nquads. A failed export leaves no file behind.\n"+entityHelp)
	addr := fs.String("addr", defaultAddr, "server address, host:port")
	conn := addConnFlags(fs)
	format := fs.String("format", "", "nquads, graphml or dot (default: from -o's extension, else nquads)")
	entity := fs.String("entity", "", "centre of the subgraph to export: an IRI or a name")
	ef := addEntityFlags(fs, "type", "ENTITY")
	all := fs.Bool("all", false, "export the whole graph")
	depth := fs.Int("depth", 1, "hops from --entity")
	nodes := fs.Int("max-nodes", 0, "most entities in the subgraph (0: server default)")
	var preds stringList
	fs.Var(&preds, "predicate", "relations the subgraph follows (repeatable, comma-separated); default all")
	full := fs.Bool("full", false, "N-Quads: add the provenance quads (events, statements, articles); with --all every quad")
	out := fs.String("o", "-", "output file; - is standard output")
	timeout := fs.Duration("timeout", time.Hour, "deadline of the export")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(fs, "unexpected argument %q (name the entity with --entity)", pos[0])
	}
	if (*entity == "") == !*all {
		return usageError(fs, "want exactly one of --entity ENTITY and --all")
	}
	if *timeout <= 0 {
		return usageError(fs, "--timeout: %v, want > 0", *timeout)
	}
	f := *format
	if f == "" {
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".graphml":
			f = "graphml"
		case ".dot", ".gv":
			f = "dot"
		default:
			f = "nquads"
		}
	}
	req := &pb.ExportGraphRequest{Full: *full}
	switch strings.ToLower(f) {
	case "nquads", "nq":
		req.Format = pb.ExportFormat_EXPORT_FORMAT_NQUADS
	case "graphml":
		req.Format = pb.ExportFormat_EXPORT_FORMAT_GRAPHML
	case "dot", "gv":
		req.Format = pb.ExportFormat_EXPORT_FORMAT_DOT
	default:
		return usageError(fs, "--format: %q, want nquads, graphml or dot", f)
	}
	if *full && req.Format != pb.ExportFormat_EXPORT_FORMAT_NQUADS {
		return usageError(fs, "--full: only with --format nquads")
	}
	if *entity != "" {
		sel, err := selector(*entity, "type", *ef.typ)
		if err != nil {
			return usageError(fs, "%v", err)
		}
		req.Entity, req.Predicates = sel, preds.splitCommas()
		if err := int32s(intFlag{"depth", *depth, &req.Depth}, intFlag{"max-nodes", *nodes, &req.MaxNodes}); err != nil {
			return usageError(fs, "%v", err)
		}
	}
	c, err := conn.dial(*addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph export: %v\n", err)
		return exitFail
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	n, err := exportTo(ctx, c, req, *out, e.stdout)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph export: %s\n", rpcError(err))
		return exitFail
	}
	if *out != "-" {
		fmt.Fprintf(e.stderr, "wrote %s (%d bytes)\n", *out, n)
	}
	return exitOK
}

// exportTo writes the export to path ("-": stdout) through a temporary file renamed
// into place once the stream ended well. It returns the bytes written.
func exportTo(ctx context.Context, c *client.Client, req *pb.ExportGraphRequest, path string, stdout io.Writer) (int64, error) {
	w := stdout
	var tmp *os.File
	if path != "-" {
		var err error
		tmp, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
		if err != nil {
			return 0, fmt.Errorf("-o %s: %w", path, err)
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		w = tmp
	}
	var n int64
	for chunk, err := range c.Export(ctx, req) {
		if err != nil {
			return n, err
		}
		k, err := w.Write(chunk)
		n += int64(k)
		if err != nil {
			return n, fmt.Errorf("-o %s: %w", path, err)
		}
	}
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			return n, fmt.Errorf("-o %s: %w", path, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return n, fmt.Errorf("-o %s: %w", path, err)
		}
		tmp = nil
	}
	return n, nil
}
