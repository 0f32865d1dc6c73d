package server

import "github.com/newsgraph/newsgraph/graph"

// StoreConfig returns g with its caps raised to at least the server's limits, so that
// the maxima the API documents are the ones a client gets (a store cap below them
// would silently shorten answers). Build the store's configuration with it.
func (c Config) StoreConfig(g graph.Config) graph.Config {
	raise := func(v *int, to int) {
		if *v < to {
			*v = to
		}
	}
	raise(&g.MaxPageSize, max(c.MaxPageSize, c.MaxSearchLimit))
	raise(&g.MaxEvidence, c.MaxEvidence)
	raise(&g.MaxDepth, c.MaxDepth)
	raise(&g.MaxHops, c.MaxHops)
	raise(&g.MaxPaths, c.MaxK)
	raise(&g.MaxNodes, max(c.MaxPathNodes, c.MaxNeighbourhoodSize))
	return g
}
