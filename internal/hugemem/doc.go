// Package hugemem allocates big read-mostly tables (model weights, feature tables)
// that are read at random. On 4 KB pages nearly every such read misses the TLB as
// well as the cache, so on Linux the tables live in anonymous memory outside the Go
// heap with transparent huge pages requested (the default "madvise" setting grants
// them then). Elsewhere they are ordinary Go slices.
//
// The tables must hold no pointers. Each mapping is unmapped when the Region that
// owns it becomes unreachable, so the owner keeps the Region as long as it uses the
// slice.
package hugemem
