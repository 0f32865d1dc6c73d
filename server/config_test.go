package server

import (
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"page size", func(c *Config) { c.MaxPageSize = 0 }, "MaxPageSize is 0, want > 0"},
		{"default above max", func(c *Config) { c.DefaultPageSize = 2000 }, "DefaultPageSize is 2000, want at most MaxPageSize (1000)"},
		{"message size", func(c *Config) { c.MaxRecvMsgBytes = c.MaxArticleBytes }, "MaxRecvMsgBytes"},
		{"timeout", func(c *Config) { c.DefaultTimeout = 0 }, "DefaultTimeout is 0s, want > 0"},
		{"load timeout", func(c *Config) { c.LoadTimeout = -time.Second }, "LoadTimeout is -1s"},
		{"loads", func(c *Config) { c.MaxConcurrentLoads = -1 }, "MaxConcurrentLoads is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error with %q", err, tt.want)
			}
			if _, err := New(newFakeStore(), fakeExtractor{}, c); err == nil {
				t.Error("New accepted the configuration")
			}
		})
	}
}

// TestStoreConfig: the store's caps are raised to the server's documented limits and
// never lowered.
func TestStoreConfig(t *testing.T) {
	c := DefaultConfig()
	g := c.StoreConfig(graph.Config{MaxPageSize: 10, MaxNodes: 1 << 30})
	if g.MaxPageSize != c.MaxPageSize || g.MaxEvidence != c.MaxEvidence || g.MaxDepth != c.MaxDepth ||
		g.MaxHops != c.MaxHops || g.MaxPaths != c.MaxK || g.MaxNodes != 1<<30 {
		t.Errorf("StoreConfig = %+v", g)
	}
}
