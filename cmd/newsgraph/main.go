// Command newsgraph is newsgraph's one binary: it serves the gRPC API over an embedded
// graph store, loads articles into a running server, queries it and deletes articles.
//
//	newsgraph serve  [--data DIR] [--addr HOST:PORT] [--backend bolt|memstore|postgres|cockroach] [--db URL] [--load PATH]... [--vocab FILE]
//	newsgraph load   [--addr HOST:PORT] PATH... | -
//	newsgraph query  entity|search|relations|between|paths|neighbourhood|timeline|stats [flags] ARGS...
//	newsgraph delete [--addr HOST:PORT] ID
//	newsgraph export [--format nquads|graphml|dot] [--entity X --depth N | --all] [--full] [-o FILE]
//	newsgraph extract [--json] [--vocab FILE] [--ner=false] [--classifier default|all|none] PATH... | -
//	newsgraph eval   conll2003|conll04|gold [--json] [--vocab FILE] [--ner=false] [--classifier default|all|none] PATH
//	newsgraph check  [--data DIR]
//	newsgraph compact [--data DIR] [--out FILE]
//
// Run "newsgraph COMMAND -h" for the flags of a command. Exit status: 0 on success, 1 on
// failure (and for load, when any article was rejected), 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// defaultAddr is where serve listens and the other commands connect by default.
const defaultAddr = "127.0.0.1:7474"

// env is what a command reads and writes; tests run commands in-process with their own.
type env struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	terminal bool              // stderr is a terminal: show a progress bar
	onListen func(addr string) // serve calls it with the address it listens on; may be nil
	// onHTTPListen is called by serve --http with the HTTP address, before onListen.
	onHTTPListen func(addr string)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := env{
		stdin:    os.Stdin,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		terminal: term.IsTerminal(int(os.Stderr.Fd())),
	}
	code := run(ctx, os.Args[1:], e)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, e env) int
}

func commands() []command {
	return []command{
		{"serve", "serve the gRPC API over an embedded store", runServe},
		{"load", "load articles (files, folders or - for stdin) into a running server", runLoad},
		{"query", "query a running server: entity, search, relations, between, paths, neighbourhood, stats", runQuery},
		{"delete", "delete an article from a running server", runDelete},
		{"export", "export the graph or a subgraph as N-Quads, GraphML or DOT", runExport},
		{"extract", "show what extraction finds in articles, sentence by sentence (no store)", runExtract},
		{"eval", "score the tagger and extractor: conll2003 FILE, conll04 FILE, gold DIR", runEval},
		{"check", "verify a stopped server's bolt store: its invariants, one violation a line", runCheck},
		{"compact", "rewrite a stopped server's bolt store without its free space", runCompact},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: newsgraph COMMAND [flags] [args]\n\nnewsgraph turns news articles into a knowledge graph and answers queries on it.\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'newsgraph COMMAND -h' for the flags of a command.\n")
}

// run runs the command named by args[0] and returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	fmt.Fprintf(e.stderr, "newsgraph: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

// newFlagSet returns a flag set for a command whose usage text shows synopsis, about
// and the flags.
func newFlagSet(e env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: newsgraph %s\n\n%s\n", synopsis, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(fs.Output(), "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args with flags and positional arguments in any order ("query
// relations 'United States' --predicate warned"); "--" ends the flags. It returns the
// positional arguments, or the exit status to return when parsing ended the command
// (-h, or a bad flag, already reported by fs).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos, rest []string
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return append(pos, rest...), 0, true
}

// usageError reports a usage error naming what was wrong, then the command's usage.
func usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(fs.Output(), "newsgraph %s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

// stringList is a flag that can be repeated; each value may hold several items
// separated by commas.
type stringList []string

func (l *stringList) String() string { return fmt.Sprint([]string(*l)) }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// splitCommas returns the comma-separated items of every value, without empty ones.
func (l stringList) splitCommas() []string {
	var out []string
	for _, v := range l {
		for _, s := range splitTrim(v) {
			out = append(out, s)
		}
	}
	return out
}
