package graph

import (
	"errors"
	"fmt"
	"log/slog"

	cgraph "github.com/cayleygraph/cayley/graph"
)

// Backend names accepted by Config.Backend.
const (
	BackendBolt      = "bolt"      // embedded key-value store in a local folder (the default)
	BackendMemstore  = "memstore"  // in memory, lost on Close; for tests and tools
	BackendPostgres  = "postgres"  // PostgreSQL, Config.Address is its connection string
	BackendCockroach = "cockroach" // CockroachDB, Config.Address is its connection string
)

// Config configures a CayleyStore. Start from DefaultConfig and set Path (bolt) or
// Address (postgres, cockroach).
type Config struct {
	// Backend is one of BackendBolt (default when empty), BackendMemstore,
	// BackendPostgres or BackendCockroach.
	Backend string
	// Path is the folder of a bolt store; it is created when missing.
	Path string
	// Address is the connection string of a postgres or cockroach store.
	Address string
	// NoSync skips fsync after each bolt transaction: faster, but a machine crash may
	// lose the last transactions (never half of one). For tests and bulk loads.
	NoSync bool
	// Preallocate makes Open create all of Cayley's value buckets (131,072) when it
	// creates a new bolt store: about a second and 3 MB once. Without them the first
	// large transactions of a bulk load spend much of their time creating buckets, each
	// one shifting the growing root node of the transaction (the cost grows with the
	// square of the buckets one transaction creates). No effect on an existing store.
	Preallocate bool

	// WarmReadCache makes Open start reading the statements behind the edges of the
	// most mentioned entities into the read cache in the background (WarmReadCache), so
	// that reads after a restart do not pay for cold quad reads. Close stops it.
	WarmReadCache bool

	// DefaultPageSize is the page size of Relations when the query gives none.
	DefaultPageSize int
	// MaxPageSize caps the page size of Relations and the limit of SearchEntities.
	MaxPageSize int
	// DefaultEvidence is the evidence kept per relation when the query gives none.
	DefaultEvidence int
	// MaxEvidence caps the evidence kept per relation.
	MaxEvidence int
	// MaxDepth caps NeighbourhoodQuery.Depth.
	MaxDepth int
	// DefaultHops is PathQuery.MaxHops when the query gives none.
	DefaultHops int
	// MaxHops caps PathQuery.MaxHops.
	MaxHops int
	// MaxPaths caps PathQuery.K.
	MaxPaths int
	// DefaultNodes is the node budget of Paths (nodes whose edges it may read) when the
	// query gives none.
	DefaultNodes int
	// DefaultSubgraphNodes is the node cap of Neighbourhood when the query gives none.
	DefaultSubgraphNodes int
	// MaxNodes caps the node budget of Paths and the node cap of Neighbourhood.
	MaxNodes int
	// MaxScan caps the quads one query may read while traversing; a query that reaches
	// it stops (Neighbourhood marks its answer Truncated, Paths returns the paths found
	// so far or ErrLimit if none).
	MaxScan int
	// DefaultSearchLimit is SearchQuery.Limit when the query gives none.
	DefaultSearchLimit int

	// Logger receives the store's own log lines (opening, retried batches); nil
	// discards them.
	Logger *slog.Logger
}

// DefaultConfig returns a Config for a bolt store with the default limits. Path must
// still be set.
func DefaultConfig() Config {
	return Config{
		Backend:              BackendBolt,
		DefaultPageSize:      50,
		MaxPageSize:          500,
		DefaultEvidence:      5,
		MaxEvidence:          100,
		MaxDepth:             3,
		DefaultHops:          4,
		MaxHops:              6,
		MaxPaths:             20,
		DefaultNodes:         2000,
		DefaultSubgraphNodes: 200,
		MaxNodes:             50000,
		MaxScan:              500_000,
		DefaultSearchLimit:   20,
	}
}

// Validate reports the first configuration error, naming the field and value.
func (c Config) Validate() error {
	var errs []error
	bad := func(field string, v any, want string) {
		errs = append(errs, fmt.Errorf("graph config: %s is %v, want %s: %w", field, v, want, ErrInvalidArgument))
	}
	switch c.backend() {
	case BackendBolt:
		if c.Path == "" {
			bad("Path", `""`, "the folder of the bolt store")
		}
	case BackendMemstore:
	case BackendPostgres, BackendCockroach:
		if c.Address == "" {
			bad("Address", `""`, "a connection string for "+c.Backend)
		}
	default:
		bad("Backend", fmt.Sprintf("%q", c.Backend), `"bolt", "memstore", "postgres" or "cockroach"`)
	}
	positive := []struct {
		name string
		v    int
	}{
		{"DefaultPageSize", c.DefaultPageSize}, {"MaxPageSize", c.MaxPageSize},
		{"DefaultEvidence", c.DefaultEvidence}, {"MaxEvidence", c.MaxEvidence},
		{"MaxDepth", c.MaxDepth}, {"DefaultHops", c.DefaultHops}, {"MaxHops", c.MaxHops},
		{"MaxPaths", c.MaxPaths}, {"DefaultNodes", c.DefaultNodes}, {"MaxNodes", c.MaxNodes},
		{"DefaultSubgraphNodes", c.DefaultSubgraphNodes},
		{"MaxScan", c.MaxScan}, {"DefaultSearchLimit", c.DefaultSearchLimit},
	}
	for _, p := range positive {
		if p.v <= 0 {
			bad(p.name, p.v, "> 0")
		}
	}
	pairs := []struct {
		def, max         string
		defVal, maxValue int
	}{
		{"DefaultPageSize", "MaxPageSize", c.DefaultPageSize, c.MaxPageSize},
		{"DefaultEvidence", "MaxEvidence", c.DefaultEvidence, c.MaxEvidence},
		{"DefaultHops", "MaxHops", c.DefaultHops, c.MaxHops},
		{"DefaultNodes", "MaxNodes", c.DefaultNodes, c.MaxNodes},
		{"DefaultSubgraphNodes", "MaxNodes", c.DefaultSubgraphNodes, c.MaxNodes},
		{"DefaultSearchLimit", "MaxPageSize", c.DefaultSearchLimit, c.MaxPageSize},
	}
	for _, p := range pairs {
		if p.defVal > 0 && p.maxValue > 0 && p.defVal > p.maxValue {
			bad(p.def, p.defVal, fmt.Sprintf("<= %s (%d)", p.max, p.maxValue))
		}
	}
	return errors.Join(errs...)
}

func (c Config) backend() string {
	if c.Backend == "" {
		return BackendBolt
	}
	return c.Backend
}

// Cayley's registered backend names. BackendBolt uses newsgraph's registration of
// Cayley's "bbolt" backend (boltkv.go: the same files and layout, readable by Cayley
// as "bbolt", through an adapter tuned for bulk writes). bbolt is the maintained fork
// of bolt, same file format and file name as Cayley's "bolt" backend: the old
// boltdb/bolt fails Go's pointer checks under the race detector.
const (
	cayleyBolt     = boltBackend
	cayleyMemstore = "memstore"
)

// cayleyTarget returns the Cayley backend name, its path argument and its options:
// the one place where Cayley's untyped options map is built.
func (c Config) cayleyTarget() (name, path string, opts cgraph.Options) {
	opts = cgraph.Options{}
	switch c.backend() {
	case BackendBolt:
		opts["nosync"] = c.NoSync
		opts["upfront"] = c.Preallocate // read by Cayley only when it creates the store
		// Cayley's write-side bloom filters are sized for 100 million quads: about
		// 300 MB for the quad filter (filled by reading every quad at open) and 230 MB
		// more on a new store. They only spare index reads for quads that may be new;
		// the writer checks presence itself, and 5,000 corpus articles write as fast
		// without them (13.2k quads/s against 12.6k, peak RSS 437 MB against 1,049 MB).
		opts["no_bloom"] = true
		return cayleyBolt, c.Path, opts
	case BackendMemstore:
		return cayleyMemstore, "", opts
	default:
		return c.backend(), c.Address, opts
	}
}

// clamp returns v, or def when v <= 0, capped at max.
func clamp(v, def, max int) int {
	if v <= 0 {
		v = def
	}
	if v > max {
		v = max
	}
	return v
}
