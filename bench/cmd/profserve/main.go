// Command profserve serves a store like `newsgraph serve` and writes a CPU profile of
// the server for a while: for finding where a load test's time goes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/server"
)

type noExtract struct{}

func (noExtract) Extract(doc.Document) (*graph.Article, error) { return nil, errors.New("read only") }

func main() {
	data := flag.String("data", "", "bolt store")
	addr := flag.String("addr", "127.0.0.1:17476", "address")
	prof := flag.String("cpuprofile", "/tmp/serve.prof", "profile")
	wait := flag.Duration("wait", 10*time.Second, "time before profiling")
	dur := flag.Duration("for", 20*time.Second, "profile length")
	memprof := flag.String("memprofile", "", "heap profile written when the CPU profile ends (after a GC)")
	flag.Parse()
	ctx := context.Background()
	cfg := server.DefaultConfig()
	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Path = *data
	gcfg.WarmReadCache = true // as newsgraph serve
	s, err := graph.Open(ctx, gcfg)
	if err != nil {
		panic(err)
	}
	srv, err := server.New(s, noExtract{}, cfg)
	if err != nil {
		panic(err)
	}
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		time.Sleep(*wait)
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		time.Sleep(*dur)
		pprof.StopCPUProfile()
		f.Close()
		if *memprof != "" {
			runtime.GC()
			if m, err := os.Create(*memprof); err == nil {
				pprof.WriteHeapProfile(m)
				m.Close()
			}
		}
		fmt.Println("profile written")
		cancel()
	}()
	fmt.Println("serving")
	srv.Serve(ctx, lis)
	s.Close()
}
