package graph

// The bolt backend newsgraph registers with Cayley. It stores exactly what Cayley's
// "bbolt" backend stores, in the same file (DIR/indexes.bolt), through the same
// key-value layer (Cayley's graph/kv on a hidalgo kv.KV), so `cayley -d bbolt -a DIR`
// reads a newsgraph store and newsgraph reads one written by Cayley. What differs is
// the adapter between Cayley's key-value layer and bbolt, which is tuned for the
// writer (measured on 5,000 corpus articles, see loader.BenchmarkLoadCorpus):
//
//   - Put looks the bucket up before creating it. hidalgo's adapter calls
//     CreateBucketIfNotExists on every Put, and bbolt's version of that seeks the
//     root bucket to try a creation first: about a tenth of a bulk load.
//   - bbolt maps 1 GiB of address space up front (InitialMmapSize; address space, not
//     memory). Otherwise a growing file is re-mapped every time it doubles, and each
//     re-map in a write transaction copies every node the transaction touched.
//   - The free list is kept as a map (FreelistMapType; the same on disk), whose
//     allocations do not slow down as a store fills up.
//
// The writer's transactions that only add quads bypass this adapter and Cayley's
// ApplyDeltas altogether: kvwrite.go writes the same keys and values straight into
// bbolt, finding the database of a store through openBolts.
//
// The rest (Get, GetBatch, Del, Scan and its iterator) is hidalgo's bbolt adapter
// (github.com/hidal-go/hidalgo kv/bbolt, Apache License 2.0, © the Cayley authors),
// adapted to these types.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	hkv "github.com/hidal-go/hidalgo/kv"
	bolt "go.etcd.io/bbolt"
)

// boltBackend is the Cayley backend name newsgraph registers: Config.Backend "bolt".
const boltBackend = "newsgraph-bbolt"

func init() {
	kv.Register(boltBackend, kv.Registration{
		InitFunc:     func(path string, opt graph.Options) (hkv.KV, error) { return openBoltKV(path, opt, true) },
		NewFunc:      func(path string, opt graph.Options) (hkv.KV, error) { return openBoltKV(path, opt, false) },
		IsPersistent: true,
	})
}

// boltFile is where Cayley's bbolt backend keeps a store in its folder.
func boltFile(dir string) string { return filepath.Join(dir, "indexes.bolt") }

// openBoltKV opens (create: creates) the bolt file of the store in folder dir. The
// option "nosync" turns fsync off, as in Cayley's backend.
func openBoltKV(dir string, opt graph.Options, create bool) (hkv.KV, error) {
	if dir == "" {
		return nil, kv.ErrEmptyPath
	}
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	nosync, err := opt.BoolKey("nosync", false)
	if err != nil {
		return nil, err
	}
	noBloom, err := opt.BoolKey(kv.OptNoBloom, false)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(boltFile(dir), 0o600, &bolt.Options{
		Timeout:         time.Second,
		InitialMmapSize: 1 << 30,
		FreelistType:    bolt.FreelistMapType,
		NoSync:          nosync,
		NoGrowSync:      nosync,
	})
	if err != nil {
		return nil, err
	}
	d := &boltKV{db: db, dir: dir, bulk: noBloom}
	if !create {
		openBolts.add(d)
	}
	return d, nil
}

// boltKV is a hidalgo kv.KV on a bbolt database.
type boltKV struct {
	db  *bolt.DB
	dir string
	// bulk allows the writer's own add path (kvwrite.go): only when Cayley keeps no
	// bloom filter of its own, which writes that bypass it would leave stale.
	bulk    bool
	bulkTxs atomic.Int64 // transactions the add path committed
}

func (d *boltKV) Close() error {
	openBolts.remove(d)
	return d.db.Close()
}

// openBolts are the bolt stores open through Cayley, by folder, so that the writer
// finds the database under its Cayley quad store (kvwrite.go). bbolt locks its file,
// so a folder is open once at a time.
var openBolts = boltRegistry{m: map[string]*boltKV{}}

type boltRegistry struct {
	mu sync.Mutex
	m  map[string]*boltKV
}

func (r *boltRegistry) add(d *boltKV) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[d.dir] = d
}

func (r *boltRegistry) remove(d *boltKV) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[d.dir] == d {
		delete(r.m, d.dir)
	}
}

func (r *boltRegistry) get(dir string) *boltKV {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[dir]
}

func (d *boltKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := d.db.Begin(rw)
	if err != nil {
		return nil, err
	}
	return &boltTx{tx: tx}, nil
}

func (d *boltKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, d, fn)
}

func (d *boltKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, d, fn)
}

// boltTx is a transaction. A key of n parts is the value at the last part inside the
// nested buckets named by the others; a one-part key lives in the root bucket.
type boltTx struct{ tx *bolt.Tx }

func (tx *boltTx) root() *bolt.Bucket { return tx.tx.Cursor().Bucket() }

// bucket returns the bucket holding key and what is left of the key: one part when
// every bucket exists.
func (tx *boltTx) bucket(key hkv.Key) (*bolt.Bucket, hkv.Key) {
	if len(key) <= 1 {
		return tx.root(), key
	}
	b := tx.tx.Bucket(key[0])
	key = key[1:]
	for b != nil && len(key) > 1 {
		b = b.Bucket(key[0])
		key = key[1:]
	}
	return b, key
}

func (tx *boltTx) Get(ctx context.Context, key hkv.Key) (hkv.Value, error) {
	b, k := tx.bucket(key)
	if b == nil || len(k) != 1 {
		return nil, hkv.ErrNotFound
	}
	v := b.Get(k[0])
	if v == nil {
		return nil, hkv.ErrNotFound
	}
	return v, nil
}

func (tx *boltTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	for i, key := range keys {
		if b, k := tx.bucket(key); b != nil && len(k) == 1 {
			vals[i] = b.Get(k[0])
		}
	}
	return vals, nil
}

func (tx *boltTx) Commit(ctx context.Context) error { return tx.tx.Commit() }

func (tx *boltTx) Close() error { return tx.tx.Rollback() }

// Put writes v at k, creating the buckets k names when they are missing. bbolt caches
// the buckets a transaction opened, so looking a bucket up is a map access after the
// first time, while creating it first (CreateBucketIfNotExists) always seeks.
func (tx *boltTx) Put(ctx context.Context, k hkv.Key, v hkv.Value) error {
	if !tx.tx.Writable() {
		return hkv.ErrReadOnly
	}
	var b *bolt.Bucket
	if len(k) <= 1 {
		b = tx.root()
	} else {
		var err error
		if b, err = child(tx.tx.Bucket(k[0]), func() (*bolt.Bucket, error) { return tx.tx.CreateBucket(k[0]) }); err != nil {
			return err
		}
		k = k[1:]
		for len(k) > 1 {
			parent, name := b, k[0]
			if b, err = child(parent.Bucket(name), func() (*bolt.Bucket, error) { return parent.CreateBucket(name) }); err != nil {
				return err
			}
			k = k[1:]
		}
	}
	if len(k) == 0 || len(k[0]) == 0 && len(v) == 0 {
		return nil // bucket creation, no value to put
	}
	err := b.Put(k[0], v)
	if err == bolt.ErrTxNotWritable {
		err = hkv.ErrReadOnly
	}
	return err
}

// child returns b, or creates it when it is nil.
func child(b *bolt.Bucket, create func() (*bolt.Bucket, error)) (*bolt.Bucket, error) {
	if b != nil {
		return b, nil
	}
	return create()
}

func (tx *boltTx) Del(ctx context.Context, k hkv.Key) error {
	b, k := tx.bucket(k)
	if b == nil || len(k) != 1 {
		return nil
	}
	err := b.Delete(k[0])
	if err == bolt.ErrTxNotWritable {
		err = hkv.ErrReadOnly
	}
	return err
}

func (tx *boltTx) Scan(ctx context.Context, opts ...hkv.IteratorOption) hkv.Iterator {
	var it hkv.Iterator = &boltIterator{tx: tx, rootb: tx.root()}
	it.Reset()
	return hkv.ApplyIteratorOptions(it, opts)
}

var (
	_ hkv.Seeker         = (*boltIterator)(nil)
	_ hkv.PrefixIterator = (*boltIterator)(nil)
)

// boltIterator walks keys in order, descending into nested buckets.
type boltIterator struct {
	tx    *boltTx
	rootb *bolt.Bucket
	rootk hkv.Key // used to reconstruct a full key
	pref  hkv.Key // prefix to check all keys against
	stack struct {
		k hkv.Key
		b []*bolt.Bucket
		c []*bolt.Cursor
	}
	k, v []byte // inside the current bucket
}

func (it *boltIterator) Reset() {
	it.k = nil
	it.v = nil
	it.stack.c = nil
	it.stack.b = nil
	if cap(it.stack.k) >= len(it.rootk) {
		it.stack.k = it.stack.k[:len(it.rootk)]
	} else {
		it.stack.k = it.rootk.Clone()
	}
	copy(it.stack.k, it.rootk)
	if it.rootb != nil {
		it.stack.b = []*bolt.Bucket{it.rootb}
	}
}

func (it *boltIterator) WithPrefix(pref hkv.Key) hkv.Iterator {
	it.Reset()
	b, p := it.tx.bucket(pref)
	if b == nil || len(p) > 1 {
		// A bucket the prefix names does not exist: nothing to iterate.
		*it = boltIterator{tx: it.tx}
		return it
	}
	it.rootk = pref[:len(pref)-len(p)]
	it.rootb = b
	it.pref = p
	it.Reset()
	return it
}

func (it *boltIterator) next(pref hkv.Key) bool {
	for len(it.stack.b) > 0 {
		i := len(it.stack.b) - 1
		cb := it.stack.b[i]
		if len(it.stack.c) < len(it.stack.b) {
			c := cb.Cursor()
			it.stack.c = append(it.stack.c, c)
			if i >= len(pref) {
				it.k, it.v = c.First()
			} else {
				it.k, it.v = c.Seek(pref[i])
			}
		} else {
			it.k, it.v = it.stack.c[i].Next()
		}
		if it.k != nil && (i >= len(pref) || bytes.HasPrefix(it.k, pref[i])) {
			if it.v == nil {
				if b := it.stack.b[len(it.stack.b)-1].Bucket(it.k); b != nil {
					it.stack.b = append(it.stack.b, b)
					it.stack.k = append(it.stack.k, it.k)
					continue
				}
			}
			return true
		}
		// The end of this bucket or of the prefix: back to the parent bucket.
		it.stack.c = it.stack.c[:len(it.stack.c)-1]
		it.stack.b = it.stack.b[:len(it.stack.b)-1]
		if len(it.stack.k) > 0 {
			it.stack.k = it.stack.k[:len(it.stack.k)-1]
		}
	}
	return false
}

func (it *boltIterator) Seek(ctx context.Context, key hkv.Key) bool {
	it.Reset()
	if !it.next(key) {
		return false
	}
	return it.Key().HasPrefix(it.pref)
}

func (it *boltIterator) Next(ctx context.Context) bool { return it.next(it.pref) }

func (it *boltIterator) Key() hkv.Key {
	if len(it.stack.b) == 0 {
		return nil
	}
	k := it.stack.k.Clone()
	return append(k, append([]byte{}, it.k...))
}

func (it *boltIterator) Val() hkv.Value { return it.v }

func (it *boltIterator) Err() error { return nil }

func (it *boltIterator) Close() error {
	*it = boltIterator{}
	return nil
}

// FileBytes returns the size of the store's file (DIR/indexes.bolt of the bolt
// backend), as the file system tells it: one stat, cheap enough for every metrics
// scrape. ok is false for the other backends and when the file cannot be stat'ed.
func (s *CayleyStore) FileBytes() (n int64, ok bool) {
	if s.cfg.backend() != BackendBolt {
		return 0, false
	}
	st, err := os.Stat(boltFile(s.cfg.Path))
	if err != nil {
		return 0, false
	}
	return st.Size(), true
}
