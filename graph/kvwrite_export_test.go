package graph

import (
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// SetBulkWrites turns the writer's add path (kvwrite.go) on or off for a bolt store:
// off, every transaction goes through Cayley's ApplyDeltas.
func SetBulkWrites(s *CayleyStore, on bool) bool {
	d := openBolts.get(s.cfg.Path)
	if d == nil {
		return false
	}
	d.bulk = on
	return true
}

// BoltFile is the bolt file of a store folder.
func BoltFile(dir string) string { return boltFile(dir) }

// ApplyAdds applies quads as one add-only transaction of the writer (through the add
// path unless SetBulkWrites turned it off).
func ApplyAdds(s *CayleyStore, qs []quad.Quad) error {
	ds := make([]cgraph.Delta, len(qs))
	for i, q := range qs {
		ds[i] = cgraph.Delta{Quad: q, Action: cgraph.Add}
	}
	return s.applyDeltas(ds)
}

// BulkTxs is the number of transactions the add path committed on the store.
func BulkTxs(s *CayleyStore) int64 {
	if d := openBolts.get(s.cfg.Path); d != nil {
		return d.bulkTxs.Load()
	}
	return 0
}
