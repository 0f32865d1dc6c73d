// Package metrics is newsgraph serve's Prometheus metrics: per-RPC counts, codes and
// latencies (the series of go-grpc-middleware's Prometheus provider, reported through
// its v2 interceptors at a fraction of the provider's cost: calls.go), what LoadArticles loaded and
// how long its batches took to commit, what the store holds and the size of its file,
// the relation cache's hits and misses, and the Go runtime's and the process's
// collectors; Handler serves them in the text format for /metrics.
//
// The domain packages know nothing of Prometheus: the pipeline tells a
// loader.Observer of each batch (Metrics is one), and the store's counters are read
// at scrape time (graph.Store.Stats, and CayleyStore's FileBytes and CacheStats, all
// cheap: counters the store keeps, one stat of its file).
//
// Series (names are stable; see README "### Metrics"):
//
//	grpc_server_started_total, grpc_server_handled_total{grpc_code},
//	grpc_server_handling_seconds, grpc_server_msg_received_total, grpc_server_msg_sent_total
//	    labels grpc_type, grpc_service, grpc_method
//	newsgraph_load_articles_total{result="stored|replaced|unchanged|rejected"}
//	newsgraph_load_statements_total, newsgraph_load_entities_total
//	newsgraph_load_quads_added_total, newsgraph_load_quads_removed_total
//	newsgraph_load_batch_commit_seconds (histogram), newsgraph_load_batches_failed_total
//	newsgraph_store_articles, _entities, _relations, _statements, _quads, _file_bytes
//	newsgraph_relcache_lookups_total{cache="adjacency|edges",result="hit|miss"}
//	newsgraph_relcache_held{what="adjacency_edges|edges|statements"}
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader"
	"github.com/newsgraph/newsgraph/server"
)

// Buckets of grpc_server_handling_seconds: a look-up on a warm store takes a fraction
// of a millisecond, a path search or a load many seconds.
var callBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Buckets of newsgraph_load_batch_commit_seconds.
var commitBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Metrics holds the collectors of one server, registered on one registry.
type Metrics struct {
	reg   *prometheus.Registry
	calls *callMetrics

	articles                 *prometheus.CounterVec
	stored, replaced         prometheus.Counter // articles' children, looked up once
	unchanged, rejected      prometheus.Counter
	statements, entities     prometheus.Counter
	quadsAdded, quadsRemoved prometheus.Counter
	commit                   prometheus.Histogram
	failed                   prometheus.Counter
}

// New returns the metrics of a server, registered on reg with the Go runtime and
// process collectors (give a fresh registry: prometheus.NewRegistry()).
func New(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		reg:   reg,
		calls: newCallMetrics(callBuckets),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsgraph_load_articles_total",
			Help: "Articles LoadArticles (and serve --load) handled, by result: stored, replaced, unchanged or rejected.",
		}, []string{"result"}),
		statements: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsgraph_load_statements_total",
			Help: "Statements extracted from the articles stored, replaced or unchanged.",
		}),
		entities: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsgraph_load_entities_total",
			Help: "Entities extracted from the articles stored, replaced or unchanged.",
		}),
		quadsAdded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsgraph_load_quads_added_total",
			Help: "Quads the loads added to the store.",
		}),
		quadsRemoved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsgraph_load_quads_removed_total",
			Help: "Quads the loads removed from the store (replaced articles' old facts).",
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsgraph_load_batch_commit_seconds",
			Help:    "Time the store took to commit one batch of articles (one PutArticles call of the loader pipeline).",
			Buckets: commitBuckets,
		}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsgraph_load_batches_failed_total",
			Help: "Batches the store refused (their articles are rejected).",
		}),
	}
	m.stored = m.articles.WithLabelValues("stored")
	m.replaced = m.articles.WithLabelValues("replaced")
	m.unchanged = m.articles.WithLabelValues("unchanged")
	m.rejected = m.articles.WithLabelValues("rejected")
	for _, c := range append(m.calls.collectors(),
		m.articles, m.statements, m.entities, m.quadsAdded, m.quadsRemoved, m.commit, m.failed,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	) {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Configure adds the metrics' interceptors (first, so that refused calls are counted)
// and load observer to cfg.
func (m *Metrics) Configure(cfg *server.Config) {
	cfg.UnaryInterceptors = append(cfg.UnaryInterceptors, m.UnaryInterceptor())
	cfg.StreamInterceptors = append(cfg.StreamInterceptors, m.StreamInterceptor())
	cfg.LoadObserver = m
}

// UnaryInterceptor counts and times unary calls.
func (m *Metrics) UnaryInterceptor() grpc.UnaryServerInterceptor {
	return interceptors.UnaryServerInterceptor(m.calls)
}

// StreamInterceptor counts and times streaming calls and their messages.
func (m *Metrics) StreamInterceptor() grpc.StreamServerInterceptor {
	return interceptors.StreamServerInterceptor(m.calls)
}

// InitializeMetrics creates the call series of every method gs serves at zero, so that
// they exist before the first call.
func (m *Metrics) InitializeMetrics(gs *grpc.Server) { m.calls.initialize(gs) }

// Batch counts one batch of a loader pipeline: it implements loader.Observer.
func (m *Metrics) Batch(b loader.BatchStats) {
	s := b.Summary
	m.stored.Add(float64(s.Stored))
	m.replaced.Add(float64(s.Replaced))
	m.unchanged.Add(float64(s.Unchanged))
	m.rejected.Add(float64(s.Rejected))
	m.statements.Add(float64(s.Statements))
	m.entities.Add(float64(s.Entities))
	m.quadsAdded.Add(float64(s.QuadsAdded))
	m.quadsRemoved.Add(float64(s.QuadsRemoved))
	if b.Written > 0 {
		m.commit.Observe(b.Commit.Seconds())
	}
	if b.Failed {
		m.failed.Inc()
	}
}

var _ loader.Observer = (*Metrics)(nil)

// Handler serves the registry's metrics in Prometheus' text format (or OpenMetrics
// when asked), for /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveStore registers the store's gauges, read at every scrape: what it holds
// (Stats), and when the store offers them (graph.CayleyStore does) the size of its
// file and the relation cache's counters.
func (m *Metrics) ObserveStore(s graph.Store) error {
	return m.reg.Register(&storeCollector{s: s})
}

// fileSizer and cacheStatser are the optional parts of a store ObserveStore reads.
type fileSizer interface{ FileBytes() (int64, bool) }
type cacheStatser interface{ CacheStats() graph.CacheStats }

// storeCollector reads the store's counters at scrape time.
type storeCollector struct{ s graph.Store }

// statsTimeout bounds the store read of one scrape.
const statsTimeout = 5 * time.Second

var (
	descArticles   = prometheus.NewDesc("newsgraph_store_articles", "Articles the store holds.", nil, nil)
	descEntities   = prometheus.NewDesc("newsgraph_store_entities", "Entities the store holds.", nil, nil)
	descRelations  = prometheus.NewDesc("newsgraph_store_relations", "Direct edges (subject, predicate, object) the store holds.", nil, nil)
	descStatements = prometheus.NewDesc("newsgraph_store_statements", "Statements the store holds.", nil, nil)
	descQuads      = prometheus.NewDesc("newsgraph_store_quads", "Quads the store holds.", nil, nil)
	descFile       = prometheus.NewDesc("newsgraph_store_file_bytes", "Size of the store's file (the bolt backend's indexes.bolt).", nil, nil)
	descLookups    = prometheus.NewDesc("newsgraph_relcache_lookups_total",
		"Look-ups of the relation cache by reads: an entity's direct edges (cache=adjacency) or the statements behind an edge (cache=edges), found (hit) or read from the store (miss).",
		[]string{"cache", "result"}, nil)
	descHeld = prometheus.NewDesc("newsgraph_relcache_held",
		"What the relation cache holds: direct edges in adjacency lists, edges whose statements it holds, and those statements.",
		[]string{"what"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descArticles, descEntities, descRelations, descStatements, descQuads} {
		ch <- d
	}
	if _, ok := c.s.(fileSizer); ok {
		ch <- descFile
	}
	if _, ok := c.s.(cacheStatser); ok {
		ch <- descLookups
		ch <- descHeld
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	if st, err := c.s.Stats(ctx); err == nil {
		for _, g := range []struct {
			d *prometheus.Desc
			v int64
		}{{descArticles, st.Articles}, {descEntities, st.Entities}, {descRelations, st.Relations}, {descStatements, st.Statements}, {descQuads, st.Quads}} {
			ch <- prometheus.MustNewConstMetric(g.d, prometheus.GaugeValue, float64(g.v))
		}
	} // else (a closed store, a slow SQL backend) the scrape goes on without them
	if f, ok := c.s.(fileSizer); ok {
		if n, ok := f.FileBytes(); ok {
			ch <- prometheus.MustNewConstMetric(descFile, prometheus.GaugeValue, float64(n))
		}
	}
	if cs, ok := c.s.(cacheStatser); ok {
		st := cs.CacheStats()
		for _, l := range []struct {
			cache, result string
			v             uint64
		}{
			{"adjacency", "hit", st.AdjacencyHits}, {"adjacency", "miss", st.AdjacencyMisses},
			{"edges", "hit", st.EdgeHits}, {"edges", "miss", st.EdgeMisses},
		} {
			ch <- prometheus.MustNewConstMetric(descLookups, prometheus.CounterValue, float64(l.v), l.cache, l.result)
		}
		for _, h := range []struct {
			what string
			v    int
		}{{"adjacency_edges", st.AdjacencyEdges}, {"edges", st.Edges}, {"statements", st.Statements}} {
			ch <- prometheus.MustNewConstMetric(descHeld, prometheus.GaugeValue, float64(h.v), h.what)
		}
	}
}
