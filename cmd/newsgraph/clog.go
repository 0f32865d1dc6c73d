package main

import (
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/cayleygraph/cayley/clog"
)

var bridgeOnce sync.Once

// bridgeCayleyLog sends Cayley's package-global log (clog) to log, once per process:
// Cayley logs through that global and nothing else, so this is the one place newsgraph
// sets it.
func bridgeCayleyLog(log *slog.Logger) {
	bridgeOnce.Do(func() { clog.SetLogger(&cayleyLogger{log: log}) })
}

// cayleyLogger adapts slog to clog.Logger. Verbosity levels above 0 are debug logging.
type cayleyLogger struct {
	mu  sync.Mutex
	log *slog.Logger
	v   int
}

func (c *cayleyLogger) Infof(format string, args ...any) {
	c.log.Info(fmt.Sprintf(format, args...))
}

func (c *cayleyLogger) Warningf(format string, args ...any) {
	c.log.Warn(fmt.Sprintf(format, args...))
}

func (c *cayleyLogger) Errorf(format string, args ...any) {
	c.log.Error(fmt.Sprintf(format, args...))
}

// Fatalf logs and exits, as clog's contract says.
func (c *cayleyLogger) Fatalf(format string, args ...any) {
	c.log.Error(fmt.Sprintf(format, args...))
	os.Exit(exitFail)
}

func (c *cayleyLogger) V(level int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return level <= c.v
}

func (c *cayleyLogger) SetV(level int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.v = level
}
