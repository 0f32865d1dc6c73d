package graph

// The writer's add path on newsgraph's bolt store. A transaction that only adds quads
// (every bulk load, every new article) is written here, straight into bbolt, instead
// of through Cayley's kv ApplyDeltas; anything else (deletes, replacements, stores
// opened with Cayley's bloom filters, stores with other indexes) goes through Cayley.
//
// It writes exactly what Cayley's kv ApplyDeltas (graph/kv/indexing.go, with
// IgnoreDup) writes for the same deltas, in the same buckets:
//
//   - nodes: each distinct value is looked up in its value bucket "v"+hash[0:2]
//     (hash: refs.HashOf, the sha1 of the value's string form). The missing ones, in
//     the order of their hashes, get the ids after meta/horizon, an entry in their
//     value bucket (uvarint id) and a node primitive in the log ({ID, Value:
//     pquads.MarshalValue, Timestamp}); every node's reference count in "n"+hash[0:2]
//     goes up by the number of added quads naming it (duplicates included, as in
//     Cayley);
//   - quads: in the order of the deltas, a quad seen before in the transaction is
//     skipped; one whose nodes all existed is looked up in the [S,P] and [O,P,S]
//     indexes and the log, and skipped when it is there and not deleted; the others
//     get the next ids, a quad primitive in the log and their id appended to the
//     uvarint lists of the [S,P] and [O,P,S] indexes; meta/horizon and meta/size
//     count them.
//
// Only the timestamps of the new primitives differ (Cayley takes time.Now for each
// one; the add path once per transaction). TestBulkSameBytesAsCayley compares every
// key and value of two stores written both ways.
//
// What makes it faster: values are hashed once per distinct value, on every core,
// before the write transaction starts; nodes are looked up and counted bucket by
// bucket in hash order; new values are encoded on the other core while the quads are
// resolved, and the index lists are sorted there, as fixed-size keys, while the log is
// written; a key naming a node created in the transaction is not looked up (ids are
// never reused); keys and values live in a few large buffers; no hidalgo keys, metrics
// or maps of strings. The bbolt work itself (seeks, node splits, rewriting the touched
// pages at commit) is what is left.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// applyDeltas applies a planned transaction: through the add path when it applies,
// else through Cayley. Either way the relation cache hears of it.
func (s *CayleyStore) applyDeltas(ds []cgraph.Delta) error {
	if d := s.bulkKV(); d != nil && addOnly(ds) {
		err := d.addQuads(ds)
		if !errors.Is(err, errNoBulk) {
			s.rc.applied(ds, err == nil)
			return err
		}
	}
	return s.qs.ApplyDeltas(ds, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

// bulkKV returns the bolt database under the store when the add path may write it.
func (s *CayleyStore) bulkKV() *boltKV {
	if s.kv == nil || s.cfg.backend() != BackendBolt {
		return nil
	}
	d := openBolts.get(s.cfg.Path)
	if d == nil || !d.bulk {
		return nil
	}
	return d
}

// addOnly reports whether every delta adds a quad with a subject, a predicate and an
// object and no label.
func addOnly(ds []cgraph.Delta) bool {
	for _, d := range ds {
		q := d.Quad
		if d.Action != cgraph.Add || q.Subject == nil || q.Predicate == nil || q.Object == nil || q.Label != nil {
			return false
		}
	}
	return len(ds) > 0
}

// errNoBulk: the store is not one the add path writes (its indexes differ); the
// transaction goes through Cayley instead.
var errNoBulk = errors.New("graph: not a store for the add path")

var (
	bucketMeta    = []byte("meta")
	bucketLog     = []byte("log")
	keyHorizon    = []byte("horizon")
	keySize       = []byte("size")
	keyIndexes    = []byte("indexes")
	indexesMeta   = mustJSON(kv.DefaultQuadIndexes)
	bucketSP      = indexBucket(kv.DefaultQuadIndexes[0]) // "sp"
	bucketOPS     = indexBucket(kv.DefaultQuadIndexes[1]) // "ops"
	defaultIdxSet = len(kv.DefaultQuadIndexes) == 2 &&
		slices.Equal(kv.DefaultQuadIndexes[0].Dirs, []quad.Direction{quad.Subject, quad.Predicate}) &&
		slices.Equal(kv.DefaultQuadIndexes[1].Dirs, []quad.Direction{quad.Object, quad.Predicate, quad.Subject})
)

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func indexBucket(ind kv.QuadIndex) []byte {
	b := make([]byte, len(ind.Dirs))
	for i, d := range ind.Dirs {
		b[i] = d.Prefix()
	}
	return b
}

// bnode is a distinct value of a transaction.
type bnode struct {
	hash  refs.ValueHash
	val   quad.Value
	inc   int    // added quads naming it
	id    uint64 // its node id
	isNew bool
}

// addQuads writes add-only deltas in one bolt transaction (see the top of the file).
func (d *boltKV) addQuads(ds []cgraph.Delta) error {
	// Outside the transaction: distinct values, hashed on every core.
	nodes, quadNodes := bulkNodes(ds)

	tx, err := d.db.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	meta := tx.Bucket(bucketMeta)
	if meta == nil || !defaultIdxSet || !bytes.Equal(meta.Get(keyIndexes), indexesMeta) {
		return errNoBulk
	}
	logB, spB, opsB := tx.Bucket(bucketLog), tx.Bucket(bucketSP), tx.Bucket(bucketOPS)
	if logB == nil || spB == nil || opsB == nil {
		return errNoBulk
	}
	logB.FillPercent = 1 // ids only grow: full pages
	horizon, err := metaInt(meta, keyHorizon)
	if err != nil {
		return err
	}
	size, err := metaInt(meta, keySize)
	if err != nil {
		return err
	}
	var a arena
	next := uint64(horizon) + 1
	ts := time.Now().UnixNano() // one per transaction

	// Nodes, in the order of their hashes: look up, create the missing ones, count.
	var vname, nname [3]byte
	vname[0], nname[0] = 'v', 'n'
	var vb, nb *bolt.Bucket
	newNodes := 0
	for i := range nodes {
		n := &nodes[i]
		h := n.hash
		if vb == nil || vname[1] != h[0] || vname[2] != h[1] {
			vname[1], vname[2] = h[0], h[1]
			nname[1], nname[2] = h[0], h[1]
			if vb, err = bucketFor(tx, vname[:]); err != nil {
				return err
			}
			if nb, err = bucketFor(tx, nname[:]); err != nil {
				return err
			}
		}
		if v := vb.Get(h[:]); len(v) != 0 {
			n.id, _ = binary.Uvarint(v)
		}
		if n.id == 0 {
			n.isNew = true
			n.id = next
			next++
			newNodes++
			if err := vb.Put(a.copy(h[:]), a.uvarint(n.id)); err != nil {
				return err
			}
		}
		var cnt int64
		if !n.isNew {
			if v := nb.Get(h[:]); v != nil {
				c, _ := binary.Uvarint(v)
				cnt = int64(c)
			}
		}
		cnt += int64(n.inc)
		if cnt <= 0 { // never with added quads; as Cayley does
			if err := nb.Delete(h[:]); err != nil {
				return err
			}
			continue
		}
		if err := nb.Put(a.copy(h[:]), a.uvarint(uint64(cnt))); err != nil {
			return err
		}
	}
	// The new values are encoded on another core while the quads are resolved.
	vals := make([][]byte, len(nodes))
	var valErr error
	var marshal sync.WaitGroup
	marshal.Add(1)
	go func() {
		defer marshal.Done()
		for i := range nodes {
			if nodes[i].isNew {
				if vals[i], valErr = pquads.MarshalValue(nodes[i].val); valErr != nil {
					return
				}
			}
		}
	}()

	// Quads, in the order of the deltas.
	seen := make(map[[3]uint64]struct{}, len(ds))
	links := make([][3]uint64, 0, len(ds))
	for _, qn := range quadNodes {
		s, p, o := &nodes[qn[0]], &nodes[qn[1]], &nodes[qn[2]]
		k := [3]uint64{s.id, p.id, o.id}
		if _, ok := seen[k]; ok {
			continue
		}
		seen[k] = struct{}{}
		if !s.isNew && !p.isNew && !o.isNew {
			has, err := hasQuad(spB, opsB, logB, k)
			if err != nil {
				marshal.Wait()
				return err
			}
			if has {
				continue // IgnoreDup
			}
		}
		links = append(links, k)
	}
	seen = nil
	marshal.Wait()
	if valErr != nil {
		return valErr
	}
	first := next
	next += uint64(len(links))

	// The index entries are sorted on another core while the log is written.
	fresh := uint64(horizon) + 1 // ids from here on are new: no index key holds them
	var sp, ops []indexEntry
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sp, ops = indexEntries(links, first)
	}()
	logErr := func() error {
		// Node primitives in id order (the order of their hashes), then the quads'.
		for i := range nodes {
			n := &nodes[i]
			if !n.isNew {
				continue
			}
			if err := logB.Put(a.logKey(n.id), a.primitive(n.id, 0, 0, 0, ts, vals[i])); err != nil {
				return err
			}
		}
		for i, k := range links {
			id := first + uint64(i)
			if err := logB.Put(a.logKey(id), a.primitive(id, k[0], k[1], k[2], ts, nil)); err != nil {
				return err
			}
		}
		return nil
	}()
	wg.Wait()
	if logErr != nil {
		return logErr
	}
	if err := writeIndex(spB, &a, sp, 2, fresh); err != nil {
		return err
	}
	if err := writeIndex(opsB, &a, ops, 3, fresh); err != nil {
		return err
	}
	if n := newNodes + len(links); n > 0 {
		if err := meta.Put(keyHorizon, a.le64(horizon+int64(n))); err != nil {
			return err
		}
	}
	if len(links) > 0 {
		if err := meta.Put(keySize, a.le64(size+int64(len(links)))); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d.bulkTxs.Add(1)
	return nil
}

// bulkNodes returns the distinct values of ds in the order of their hashes (as
// Cayley's graphlog.SplitDeltas sorts them; a value is the first one seen with its
// hash) and, per delta, the positions of its subject, predicate and object among them.
func bulkNodes(ds []cgraph.Delta) ([]bnode, [][3]int32) {
	byVal := make(map[quad.Value]int32, len(ds))
	var vals []quad.Value
	qrefs := make([][3]int32, len(ds))
	for i, d := range ds {
		for j, v := range [3]quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object} {
			k, ok := byVal[v]
			if !ok {
				k = int32(len(vals))
				byVal[v] = k
				vals = append(vals, v)
			}
			qrefs[i][j] = k
		}
	}
	byVal = nil
	hashes := make([]refs.ValueHash, len(vals))
	parallel(len(vals), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			hashes[i] = refs.HashOf(vals[i])
		}
	})
	// Values with the same hash (equal string forms) are one node: the first seen.
	byHash := make(map[refs.ValueHash]int32, len(vals))
	canon := make([]int32, len(vals)) // value → node (before sorting)
	var nodes []bnode
	for i, h := range hashes {
		k, ok := byHash[h]
		if !ok {
			k = int32(len(nodes))
			byHash[h] = k
			nodes = append(nodes, bnode{hash: h, val: vals[i]})
		}
		canon[i] = k
	}
	for i := range qrefs {
		for j := range qrefs[i] {
			qrefs[i][j] = canon[qrefs[i][j]]
			nodes[qrefs[i][j]].inc++
		}
	}
	order := make([]int32, len(nodes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return bytes.Compare(nodes[x].hash[:], nodes[y].hash[:]) })
	pos := make([]int32, len(nodes))
	sorted := make([]bnode, len(nodes))
	for i, k := range order {
		sorted[i] = nodes[k]
		pos[k] = int32(i)
	}
	for i := range qrefs {
		for j := range qrefs[i] {
			qrefs[i][j] = pos[qrefs[i][j]]
		}
	}
	return sorted, qrefs
}

// parallel calls fn on slices of [0, n) on every core.
func parallel(n int, fn func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), n/1024+1)
	if w <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := n*i/w, n*(i+1)/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// bucketFor returns the bucket named name in the root, created when missing.
func bucketFor(tx *bolt.Tx, name []byte) (*bolt.Bucket, error) {
	if b := tx.Bucket(name); b != nil {
		return b, nil
	}
	return tx.CreateBucket(name)
}

// metaInt reads a counter of Cayley's meta bucket (8 bytes little-endian; 0 when
// missing).
func metaInt(meta *bolt.Bucket, key []byte) (int64, error) {
	v := meta.Get(key)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("graph: meta %s: unexpected int size %d", key, len(v))
	}
	return int64(binary.LittleEndian.Uint64(v)), nil
}

// hasQuad reports whether the store holds the live quad k (subject, predicate,
// object ids), as Cayley's hasPrimitive does without unique indexes: the ids in both
// index lists, newest first, checked in the log.
func hasQuad(spB, opsB, logB *bolt.Bucket, k [3]uint64) (bool, error) {
	var sp [16]byte
	var ops [24]byte
	binary.BigEndian.PutUint64(sp[0:], k[0])
	binary.BigEndian.PutUint64(sp[8:], k[1])
	binary.BigEndian.PutUint64(ops[0:], k[2])
	binary.BigEndian.PutUint64(ops[8:], k[1])
	binary.BigEndian.PutUint64(ops[16:], k[0])
	a, err := decodeIDs(spB.Get(sp[:]))
	if err != nil {
		return false, err
	}
	b, err := decodeIDs(opsB.Get(ops[:]))
	if err != nil {
		return false, err
	}
	c := intersectSorted(a, b)
	var key [8]byte
	for i := len(c) - 1; i >= 0; i-- {
		binary.BigEndian.PutUint64(key[:], c[i])
		v := logB.Get(key[:])
		if v == nil {
			return false, fmt.Errorf("graph: quad %d of the index is not in the log", c[i])
		}
		var p cproto.Primitive
		if err := proto.Unmarshal(v, &p); err != nil {
			return false, err
		}
		if p.Deleted {
			continue
		}
		if p.Subject == k[0] && p.Predicate == k[1] && p.Object == k[2] && p.Label == 0 {
			return true, nil
		}
	}
	return false, nil
}

func decodeIDs(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return out, errors.New("graph: malformed index list")
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}

// intersectSorted is Cayley's intersectSortedUint64.
func intersectSorted(a, b []uint64) []uint64 {
	var c []uint64
	j := 0
	for _, x := range a {
		for j < len(b) && x > b[j] {
			j++
		}
		if j >= len(b) {
			break
		}
		if x == b[j] {
			c = append(c, x)
			j++
		}
	}
	return c
}

// indexEntry is a quad's key in an index ([S,P]: k[2] is 0; [O,P,S]) and its id.
type indexEntry struct {
	k  [3]uint64
	id uint64
}

// indexEntries returns the [S,P] and [O,P,S] entries of links (ids first, first+1,
// …), each sorted by key and id.
func indexEntries(links [][3]uint64, first uint64) (sp, ops []indexEntry) {
	sp = make([]indexEntry, len(links))
	ops = make([]indexEntry, len(links))
	for i, l := range links {
		id := first + uint64(i)
		sp[i] = indexEntry{k: [3]uint64{l[0], l[1], 0}, id: id}
		ops[i] = indexEntry{k: [3]uint64{l[2], l[1], l[0]}, id: id}
	}
	cmp := func(x, y indexEntry) int {
		for i := range x.k {
			if x.k[i] != y.k[i] {
				if x.k[i] < y.k[i] {
					return -1
				}
				return 1
			}
		}
		switch {
		case x.id < y.id:
			return -1
		case x.id > y.id:
			return 1
		}
		return 0
	}
	slices.SortFunc(sp, cmp)
	slices.SortFunc(ops, cmp)
	return sp, ops
}

// writeIndex appends the ids of sorted entries to their lists in an index bucket
// (keys of n ids). A key holding an id from fresh on is new: it is not looked up.
func writeIndex(b *bolt.Bucket, a *arena, es []indexEntry, n int, fresh uint64) error {
	for i := 0; i < len(es); {
		j := i
		for j < len(es) && es[j].k == es[i].k {
			j++
		}
		key := a.alloc(8 * n)
		isNew := false
		for p := range n {
			binary.BigEndian.PutUint64(key[8*p:], es[i].k[p])
			isNew = isNew || es[i].k[p] >= fresh
		}
		var old []byte
		if !isNew {
			old = b.Get(key)
		}
		val := a.alloc(len(old) + binary.MaxVarintLen64*(j-i))[:0]
		val = append(val, old...)
		for _, e := range es[i:j] {
			val = binary.AppendUvarint(val, e.id)
		}
		if err := b.Put(key, val); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// arena hands out byte slices that stay valid until the transaction commits (bbolt
// keeps the slices it was given until then), from a few large buffers.
type arena struct{ buf []byte }

func (a *arena) alloc(n int) []byte {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(1<<20, n))
	}
	l := len(a.buf)
	a.buf = a.buf[:l+n]
	return a.buf[l : l+n : l+n]
}

func (a *arena) copy(b []byte) []byte {
	c := a.alloc(len(b))
	copy(c, b)
	return c
}

func (a *arena) uvarint(x uint64) []byte {
	var b [binary.MaxVarintLen64]byte
	return a.copy(binary.AppendUvarint(b[:0], x))
}

func (a *arena) le64(x int64) []byte {
	b := a.alloc(8)
	binary.LittleEndian.PutUint64(b, uint64(x))
	return b
}

func (a *arena) logKey(id uint64) []byte {
	b := a.alloc(8)
	binary.BigEndian.PutUint64(b, id)
	return b
}

// primitive encodes a Cayley primitive (graph/proto Primitive) as proto.Marshal does:
// the fields in number order, zero values left out.
func (a *arena) primitive(id, s, p, o uint64, ts int64, value []byte) []byte {
	var buf [64]byte
	b := buf[:0]
	field := func(num protowire.Number, v uint64) {
		if v != 0 {
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, v)
		}
	}
	field(1, id)
	field(2, s)
	field(3, p)
	field(4, o)
	field(7, uint64(ts))
	if len(value) == 0 {
		return a.copy(b)
	}
	out := a.alloc(len(b) + protowire.SizeTag(8) + protowire.SizeBytes(len(value)))[:0]
	out = append(out, b...)
	out = protowire.AppendTag(out, 8, protowire.BytesType)
	return protowire.AppendBytes(out, value)
}

// hasQuad reports whether the store holds the quad q, as CayleyStore.has does: on a
// bolt store the add path may write, in one read transaction without Cayley (three
// value look-ups, one [O,P,S] list, the log for liveness).
func (s *CayleyStore) hasQuad(ctx context.Context, q quad.Quad) (bool, error) {
	d := s.bulkKV()
	if d == nil || q.Subject == nil || q.Predicate == nil || q.Object == nil {
		return s.has(ctx, q)
	}
	found := false
	err := d.db.View(func(tx *bolt.Tx) error {
		var ids [3]uint64
		name := []byte{'v', 0, 0}
		for i, v := range [3]quad.Value{q.Subject, q.Predicate, q.Object} {
			h := refs.HashOf(v)
			name[1], name[2] = h[0], h[1]
			b := tx.Bucket(name)
			if b == nil {
				return nil
			}
			if ids[i], _ = binary.Uvarint(b.Get(h[:])); ids[i] == 0 {
				return nil
			}
		}
		opsB, logB := tx.Bucket(bucketOPS), tx.Bucket(bucketLog)
		if opsB == nil || logB == nil {
			return nil
		}
		var key [24]byte
		binary.BigEndian.PutUint64(key[0:], ids[2])
		binary.BigEndian.PutUint64(key[8:], ids[1])
		binary.BigEndian.PutUint64(key[16:], ids[0])
		list, err := decodeIDs(opsB.Get(key[:]))
		if err != nil {
			return err
		}
		var lk [8]byte
		for i := len(list) - 1; i >= 0; i-- {
			binary.BigEndian.PutUint64(lk[:], list[i])
			v := logB.Get(lk[:])
			if v == nil {
				continue
			}
			var p cproto.Primitive
			if err := proto.Unmarshal(v, &p); err != nil {
				return err
			}
			if !p.Deleted {
				found = true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("look up %s: %w", q, err)
	}
	return found, nil
}
