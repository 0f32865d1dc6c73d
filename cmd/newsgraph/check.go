package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
)

// runCheck opens a bolt store read-only and reports the schema invariants it breaks
// (graph.CayleyStore.Check), one violation a line: exit 0 when there are none, 1 when
// there are some or the store cannot be read.
func runCheck(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "check", "check [--data DIR]",
		"Opens the bolt store in DIR read-only and verifies its invariants: no statement\n"+
			"without its article, no direct edge without a supporting statement, no event\n"+
			"without statements, no half-registered article, entity or alias, counters that\n"+
			"agree with the quads. Prints each violation with the IRIs involved, one a line,\n"+
			"and exits 1 if there is any; otherwise prints \"ok: N articles, M quads, 0\n"+
			"violations\". Run it on a stopped server's store: a running server holds the\n"+
			"store's lock, and check says so.")
	data := fs.String("data", "./newsgraph-data", "folder of the bolt store")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(fs, "unexpected argument %q (give the store folder with --data)", pos[0])
	}
	if strings.TrimSpace(*data) == "" {
		return usageError(fs, "--data: empty, want the folder of a bolt store")
	}
	rep, err := checkStore(ctx, *data)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph check: %v\n", err)
		return exitFail
	}
	for _, v := range rep.Violations {
		fmt.Fprintln(e.stdout, v)
	}
	n := len(rep.Violations) + rep.Unlisted
	if rep.Unlisted > 0 {
		fmt.Fprintf(e.stdout, "... and %d more violations\n", rep.Unlisted)
	}
	status := "ok"
	if n > 0 {
		status = "FAIL"
	}
	fmt.Fprintf(e.stdout, "%s: %d articles, %d quads, %d violations\n", status, rep.Articles, rep.Quads, n)
	if n > 0 {
		return exitFail
	}
	return exitOK
}

// checkStore opens the store in dir read-only and checks it.
func checkStore(ctx context.Context, dir string) (*graph.CheckReport, error) {
	cfg := graph.DefaultConfig()
	cfg.Path = dir
	cfg.Logger = slog.New(slog.DiscardHandler)
	s, err := graph.OpenReadOnly(ctx, cfg)
	if err != nil {
		return nil, storeOpenError(dir, err)
	}
	defer s.Close()
	rep, err := s.Check(ctx)
	if err != nil {
		return nil, fmt.Errorf("check the store in %s: %w", dir, err)
	}
	return rep, nil
}

// storeOpenError says why the store in dir could not be opened, plainly for the two
// usual reasons: a server holds it, or there is none.
func storeOpenError(dir string, err error) error {
	switch {
	case errors.Is(err, graph.ErrLocked):
		return fmt.Errorf("%w: stop the server that uses it first", err)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no store in %s: %w", dir, err)
	}
	return fmt.Errorf("open the store in %s: %w", dir, err)
}
