package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"google.golang.org/grpc"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
	"github.com/newsgraph/newsgraph/server"
)

func runServe(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "serve", "serve [flags]",
		"Opens the graph store (an embedded bolt store in --data by default), loads the\n"+
			"articles given with --load, then serves the gRPC API (newsgraph.v1, health and\n"+
			"reflection) until SIGINT or SIGTERM, when it finishes the calls in flight and exits.\n"+
			"It listens before it opens the store, so a taken port fails before a store is made.\n\n"+
			"Security: --tls-cert/--tls-key serve TLS, --tls-client-ca requires client\n"+
			"certificates (mTLS); --auth-tokens FILE requires a bearer token on every call, the\n"+
			"file holding lines 'TOKEN NAME SCOPES' (scopes read, write, admin; '#' comments):\n"+
			"load and delete need write, queries read, health and reflection any token unless\n"+
			"--public-health/--public-reflection. Serving beyond 127.0.0.1 without TLS or\n"+
			"without tokens logs a warning.\n\n"+
			"--http ADDR also serves the graph explorer (a web page) and a JSON API (the\n"+
			"Connect protocol: POST /newsgraph.v1.NewsGraphService/METHOD) on ADDR, through the\n"+
			"same handlers, tokens and TLS as gRPC.")
	data := fs.String("data", "./newsgraph-data", "folder of the embedded store (bolt backend)")
	addr := fs.String("addr", defaultAddr, "address to listen on, host:port")
	httpAddr := fs.String("http", "", "also serve the explorer page and the JSON API on this address, host:port (e.g. 127.0.0.1:7475)")
	backend := fs.String("backend", "bolt", "store backend: bolt (embedded, in --data), memstore (in memory), postgres or cockroach (at --db)")
	db := fs.String("db", "", "connection string of the postgres or cockroach store, e.g. postgres://user@localhost/newsgraph")
	var loads stringList
	fs.Var(&loads, "load", "file or folder of articles to load before serving (repeatable)")
	vocab := fs.String("vocab", "", "relation vocabulary file (default: the embedded vocabulary)")
	classifier := fs.String("classifier", "default", classifierHelp)
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	every := fs.Int("load-every", 1000, "with --load and no terminal, log progress every this many articles")
	gcPercent := fs.Int("gc-percent", server.DefaultGCPercent, "garbage collector target percentage (as GOGC, which overrides it when set)")
	memLimit := fs.Int("memory-limit-mib", 0, "soft limit of the Go heap in MiB (as GOMEMLIMIT, which overrides it when set); 0: the larger of 960 and three times the heap the open store keeps")
	dc := server.DefaultConfig()
	var sec securityFlags
	fs.StringVar(&sec.cert, "tls-cert", "", "PEM file of the server's certificate chain: serve TLS (with --tls-key)")
	fs.StringVar(&sec.key, "tls-key", "", "PEM file of the server certificate's private key")
	fs.StringVar(&sec.clientCA, "tls-client-ca", "", "PEM file of the CAs whose client certificates the server requires (mTLS; needs --tls-cert)")
	fs.StringVar(&sec.tokens, "auth-tokens", "", "file of bearer tokens, lines 'TOKEN NAME SCOPES' (scopes read,write,admin): every call needs one")
	fs.BoolVar(&sec.publicHealth, "public-health", false, "with --auth-tokens, the health service answers without a token")
	fs.BoolVar(&sec.publicReflection, "public-reflection", false, "with --auth-tokens, reflection answers without a token")
	fs.BoolVar(&sec.reflection, "reflection", false, "serve gRPC reflection, --reflection=false not to (default: on when --addr is a loopback address, else off)")
	loadSlots := fs.Int("load-slots", dc.MaxConcurrentLoads, "LoadArticles calls that run at once; more are queued")
	loadIdle := fs.Duration("load-idle-timeout", dc.LoadIdleTimeout, "end a LoadArticles call whose client sent nothing for this long, freeing its slot (0: never)")
	loadTimeout := fs.Duration("load-timeout", dc.LoadTimeout, "longest a LoadArticles call may run once it has a slot (0: no limit)")
	callTimeout := fs.Duration("max-call-timeout", dc.MaxCallTimeout, "longest a unary call may run; later client deadlines are shortened to it")
	streamTimeout := fs.Duration("max-stream-timeout", dc.MaxStreamTimeout, "longest a streamed answer (query paths --stream, export) may run (0: no limit)")
	maxStreams := fs.Int("max-streams", int(dc.MaxConcurrentStreams), "calls one connection may have open at once")
	var obs observeFlags
	obs.register(fs)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(fs, "unexpected argument %q (give files to load with --load)", pos[0])
	}
	reflectionSet := false
	fs.Visit(func(f *flag.Flag) { reflectionSet = reflectionSet || f.Name == "reflection" })
	if !reflectionSet {
		sec.reflection = loopback(*addr)
	}
	switch {
	case (sec.cert == "") != (sec.key == ""):
		return usageError(fs, "--tls-cert and --tls-key: give both or neither")
	case sec.clientCA != "" && sec.cert == "":
		return usageError(fs, "--tls-client-ca: needs --tls-cert and --tls-key (mTLS is TLS with client certificates)")
	case *loadSlots <= 0:
		return usageError(fs, "--load-slots: %d, want > 0", *loadSlots)
	case *loadIdle < 0:
		return usageError(fs, "--load-idle-timeout: %v, want >= 0 (0: never)", *loadIdle)
	case *loadTimeout < 0:
		return usageError(fs, "--load-timeout: %v, want >= 0 (0: no limit)", *loadTimeout)
	case *callTimeout < dc.DefaultTimeout:
		return usageError(fs, "--max-call-timeout: %v, want at least %v (the deadline of calls that come without one)", *callTimeout, dc.DefaultTimeout)
	case *streamTimeout < 0:
		return usageError(fs, "--max-stream-timeout: %v, want >= 0 (0: no limit)", *streamTimeout)
	case *maxStreams <= 0:
		return usageError(fs, "--max-streams: %d, want > 0", *maxStreams)
	}
	if err := obs.check(); err != nil {
		return usageError(fs, "%v", err)
	}
	if *every <= 0 {
		return usageError(fs, "--load-every: %d, want > 0", *every)
	}
	if *gcPercent <= 0 {
		return usageError(fs, "--gc-percent: %d, want > 0", *gcPercent)
	}
	if *memLimit < 0 {
		return usageError(fs, "--memory-limit-mib: %d, want >= 0 (0: automatic)", *memLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(*gcPercent)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError(fs, "--log-level: %q, want debug, info, warn or error", *logLevel)
	}
	var h slog.Handler
	switch *logFormat {
	case "text":
		h = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level})
	case "json":
		h = slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level})
	default:
		return usageError(fs, "--log-format: %q, want text or json", *logFormat)
	}
	switch *backend {
	case graph.BackendBolt:
		if strings.TrimSpace(*data) == "" {
			return usageError(fs, "--data: empty, want a folder for the bolt store")
		}
	case graph.BackendMemstore:
	case graph.BackendPostgres, graph.BackendCockroach:
		if strings.TrimSpace(*db) == "" {
			return usageError(fs, "--db: empty, want the connection string of the %s store", *backend)
		}
	default:
		return usageError(fs, "--backend: %q, want bolt, memstore, postgres or cockroach", *backend)
	}
	log := slog.New(h)
	bridgeCayleyLog(log.With("component", "cayley"))

	if err := serve(ctx, log, serveOptions{
		data: *data, db: *db, addr: *addr, httpAddr: *httpAddr, onHTTPListen: e.onHTTPListen, backend: *backend, loads: loads, vocab: *vocab, classifier: *classifier, onListen: e.onListen,
		progressTo: e.stderr, terminal: e.terminal, every: *every, memLimitMiB: *memLimit,
		security: sec, loadSlots: *loadSlots, loadIdle: *loadIdle, loadTimeout: *loadTimeout,
		callTimeout: *callTimeout, streamTimeout: *streamTimeout, maxStreams: uint32(*maxStreams),
		observe: obs, stdout: e.stdout,
	}); err != nil {
		log.Error("serve failed", "err", err)
		return exitFail
	}
	return exitOK
}

type serveOptions struct {
	data, db, addr, backend string
	httpAddr                string            // --http: also serve the explorer and the JSON API there
	onHTTPListen            func(addr string) // called with the --http address listened on
	loads                   []string
	vocab                   string
	classifier              string // --classifier
	memLimitMiB             int    // --memory-limit-mib
	onListen                func(addr string)

	progressTo io.Writer // where --load shows its progress bar
	terminal   bool      // progressTo is a terminal: a bar, else log lines
	every      int       // without a terminal, a progress log line every this many articles

	security      securityFlags
	loadSlots     int           // --load-slots
	loadIdle      time.Duration // --load-idle-timeout
	loadTimeout   time.Duration // --load-timeout
	callTimeout   time.Duration // --max-call-timeout
	streamTimeout time.Duration // --max-stream-timeout
	maxStreams    uint32        // --max-streams

	observe observeFlags // --metrics, --trace, --otlp-endpoint, --trace-sample
	stdout  io.Writer    // where --trace stdout writes spans
}

// securityFlags are serve's TLS, token and reflection flags.
type securityFlags struct {
	cert, key, clientCA string // --tls-cert, --tls-key, --tls-client-ca
	tokens              string // --auth-tokens
	publicHealth        bool   // --public-health
	publicReflection    bool   // --public-reflection
	reflection          bool   // --reflection, or its default for the address
}

// apply reads the files the flags name into cfg. log gets a warning for a token file
// others may read.
func (f securityFlags) apply(log *slog.Logger, cfg *server.Config) error {
	if f.cert != "" {
		t, err := server.LoadTLS(f.cert, f.key, f.clientCA)
		if err != nil {
			return fmt.Errorf("--tls-cert: %w", err)
		}
		cfg.TLS = t
	}
	if f.tokens != "" {
		t, err := server.LoadTokens(f.tokens)
		if err != nil {
			return fmt.Errorf("--auth-tokens: %w", err)
		}
		if st, err := os.Stat(f.tokens); err == nil && st.Mode().Perm()&0o077 != 0 {
			log.Warn("the token file can be read by other users: chmod 600 it", "file", f.tokens, "mode", st.Mode().Perm().String())
		}
		cfg.Tokens = t
	}
	cfg.PublicHealth, cfg.PublicReflection, cfg.Reflection = f.publicHealth, f.publicReflection, f.reflection
	return nil
}

// privatePaths are the server's paths that must not reach a client: the files and
// folder the flags name, absolute and as given, and the working directory.
func (o serveOptions) privatePaths() []string {
	var ps []string
	for _, p := range []string{o.data, o.vocab, o.security.cert, o.security.key, o.security.clientCA, o.security.tokens} {
		if p == "" {
			continue
		}
		ps = append(ps, p)
		if a, err := filepath.Abs(p); err == nil {
			ps = append(ps, a)
		}
	}
	if wd, err := os.Getwd(); err == nil {
		ps = append(ps, wd)
	}
	return ps
}

func serve(ctx context.Context, log *slog.Logger, o serveOptions) (err error) {
	cfg := server.DefaultConfig()
	cfg.Logger = log.With("component", "server")
	cfg.MaxConcurrentLoads, cfg.LoadIdleTimeout, cfg.LoadTimeout = o.loadSlots, o.loadIdle, o.loadTimeout
	cfg.MaxCallTimeout, cfg.MaxStreamTimeout, cfg.MaxConcurrentStreams = o.callTimeout, o.streamTimeout, o.maxStreams
	if err := o.security.apply(log, &cfg); err != nil {
		return err
	}
	cfg.PrivatePaths = o.privatePaths()
	if err := cfg.Validate(); err != nil {
		return err
	}
	obs, err := setupObservability(ctx, log, o.observe, o.httpAddr != "", o.stdout, &cfg)
	if err != nil {
		return err
	}
	defer obs.close(log)
	// Listen first: a taken port fails before a store is created and preallocated.
	lis, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", o.addr, err)
	}
	defer lis.Close() // Serve closes it too; this is for the failures before
	warnExposed(log, lis.Addr(), cfg)
	var httpLis net.Listener
	if o.httpAddr != "" {
		if httpLis, err = net.Listen("tcp", o.httpAddr); err != nil {
			return fmt.Errorf("--http %s: %w", o.httpAddr, err)
		}
		defer httpLis.Close()
		warnExposed(log, httpLis.Addr(), cfg)
	}

	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Backend = o.backend
	gcfg.WarmReadCache = true // reads after a restart do not pay for cold quad reads
	switch o.backend {
	case graph.BackendBolt:
		gcfg.Path = o.data
		gcfg.Preallocate = true // a new store takes bulk loads without creating buckets one by one
	case graph.BackendPostgres, graph.BackendCockroach:
		gcfg.Address = o.db
	}
	gcfg.Logger = log.With("component", "graph")
	store, err := graph.Open(ctx, gcfg)
	if err != nil {
		if o.backend == graph.BackendBolt && errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("open store: another process holds the store in %s (bbolt's lock on its file did not come free within a second): stop that process, or give another --data", o.data)
		}
		return fmt.Errorf("open store: %w", err)
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	setMemoryLimit(log, o.memLimitMiB)
	if err := obs.observeStore(store); err != nil {
		return err
	}

	preds, err := classifierPredicates(o.classifier)
	if err != nil {
		return err
	}
	x, err := extract.New(extract.Config{VocabularyPath: o.vocab, ClassifierPredicates: preds, Logger: log.With("component", "extract")})
	if err != nil {
		return err
	}
	if len(o.loads) > 0 {
		if err := loadAtStart(ctx, log, store, x, o, obs.loadObserver()); err != nil {
			return err
		}
	}

	// A filter on a predicate the extractor never gives matches nothing: the server
	// refuses it, listing these.
	cfg.Predicates = x.Predicates()
	srv, err := server.New(store, x, cfg)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", lis.Addr().String(), "tls", cfg.TLS != nil, "mtls", cfg.TLS != nil && cfg.TLS.ClientCAs != nil,
		"tokens", cfg.Tokens.Len(), "reflection", cfg.Reflection)
	if httpLis != nil {
		log.Info("serving http", "addr", httpLis.Addr().String(), "explorer", httpURL(httpLis.Addr(), cfg.TLS != nil))
		if o.onHTTPListen != nil {
			o.onHTTPListen(httpLis.Addr().String())
		}
	}
	if o.onListen != nil {
		o.onListen(lis.Addr().String())
	}
	err = srv.ServeWithHTTP(ctx, lis, httpLis, func(gs *grpc.Server) (http.Handler, error) {
		routes, middleware := obs.httpRoutes(gs)
		return newHTTPHandler(gs, cfg, httpLis.Addr(), httpExtras{routes: routes, middleware: middleware})
	})
	log.Info("stopped")
	return err
}

// warnExposed logs a warning when the server listens beyond the loopback interface
// without TLS or without tokens: anyone who reaches the port could read, load or
// delete (without tokens) or read the traffic (without TLS).
func warnExposed(log *slog.Logger, addr net.Addr, cfg server.Config) {
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		return
	}
	var missing []string
	if cfg.TLS == nil {
		missing = append(missing, "TLS (--tls-cert, --tls-key)")
	}
	if cfg.Tokens == nil {
		missing = append(missing, "tokens (--auth-tokens)")
	}
	if len(missing) > 0 {
		log.Warn("serving beyond the loopback interface without "+strings.Join(missing, " and ")+
			": anyone who reaches the port can call every method", "addr", addr.String())
	}
}

// autoMemoryLimitMiB is the floor of the automatic soft heap limit. With the server's
// GOGC of 400 alone, a load of the shared corpora (live heap about 530 MB at its
// peak) let the heap grow to a peak RSS of 2.5 GB; with a soft limit the collector
// runs earlier while loading and serving keeps its rarer collections. Measured with
// bench/load.sh serve-load and bench/ghz.sh (ListRelations), GOMEMLIMIT set:
// 800 MiB: 1,268 MiB peak, 647 articles/s, 7,539 calls/s (96 µs server CPU a call);
// 960 MiB: 1,396 MiB, 788 articles/s, 10,303 calls/s (68 µs);
// 1 GiB: 1,432–1,438 MiB, 749–769 articles/s, 9,750–9,831 calls/s (72–73 µs).
const autoMemoryLimitMiB = 960

// setMemoryLimit sets the Go runtime's soft memory limit, unless GOMEMLIMIT does: mib,
// or when 0 the larger of autoMemoryLimitMiB and three times the live heap now (the
// store's name index and adjacency), so that a big store is not collected over and
// over.
func setMemoryLimit(log *slog.Logger, mib int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	limit := int64(mib) << 20
	if mib == 0 {
		runtime.GC()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		live := int64(0)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = int64(sample[0].Value.Uint64())
		}
		limit = max(int64(autoMemoryLimitMiB)<<20, 3*live)
	}
	debug.SetMemoryLimit(limit)
	log.Info("memory", "soft limit MiB", limit>>20)
}

// loadAtStart loads files and folders with the loader pipeline. It shows progress
// (a bar on a terminal, else a log line every o.every articles), logs each rejected
// article and a summary: what the run did, the most frequent rejection reasons and
// what the store holds. Rejected articles do not stop serve; an unreadable path does.
func loadAtStart(ctx context.Context, log *slog.Logger, store graph.Store, x loader.Extractor, o serveOptions, ob loader.Observer) error {
	paths := o.loads
	p, err := loader.New(store, x, loader.Config{Logger: log.With("component", "loader"), Observer: ob})
	if err != nil {
		return err
	}
	total := countArticles(paths)
	log.Info("loading articles", "paths", paths, "articles", total)
	src := func(ctx context.Context, yield func(doc.Item) error) error {
		return doc.Reader{}.Walk(ctx, paths, yield)
	}
	w := o.progressTo
	if w == nil {
		w = io.Discard
	}
	every := o.every
	if every <= 0 {
		every = 1000
	}
	prog := newProgress(w, o.terminal, total, every, "loading", func(done, total int, rate float64, eta time.Duration) {
		args := []any{"articles", done, "of", total, "per_second", math.Round(rate)}
		if eta >= 0 {
			args = append(args, "eta", eta)
		}
		log.Info("loading", args...)
	}, nil)
	reasons := reasonCounts{}
	sum, err := p.Run(ctx, src, func(r loader.Result) {
		if r.Err != nil {
			prog.clear()
			log.Warn("article rejected", "origin", r.Origin, "reason", r.Err)
			reasons.add(r.Origin, r.Err.Error())
		}
		prog.add(1)
	})
	prog.finish()
	el := sum.Elapsed.Seconds()
	args := []any{
		"articles", sum.Articles(), "stored", sum.Stored, "replaced", sum.Replaced,
		"unchanged", sum.Unchanged, "rejected", sum.Rejected, "entities", sum.Entities,
		"statements", sum.Statements, "quads_added", sum.QuadsAdded, "quads_removed", sum.QuadsRemoved,
		"elapsed", sum.Elapsed.Round(time.Millisecond),
	}
	if el > 0 {
		args = append(args, "per_second", math.Round(float64(sum.Articles())/el))
	}
	if len(reasons) > 0 {
		args = append(args, "rejected_because", strings.Join(reasons.top(5), "; "))
	}
	log.Info("loaded articles", args...)
	if st, serr := store.Stats(ctx); serr == nil {
		log.Info("store holds", "articles", st.Articles, "entities", st.Entities,
			"relations", st.Relations, "statements", st.Statements, "quads", st.Quads)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("load cancelled: %w", err)
		}
		return fmt.Errorf("--load: %w", err)
	}
	return nil
}
