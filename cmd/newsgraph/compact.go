package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newsgraph/newsgraph/graph"
)

// compactLockTimeout is how long compact waits for another process to release the
// store before it refuses.
const compactLockTimeout = time.Second

// runCompact rewrites a bolt store into a new file without its free pages and puts it
// in place of the original.
func runCompact(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "compact", "compact [--data DIR] [--out FILE]",
		"Rewrites the bolt store in DIR into a new file without the space deleted and\n"+
			"replaced articles left free (bbolt compaction), syncs it to disk and renames\n"+
			"it over the store's file, so that an interrupted compaction leaves the store as\n"+
			"it was. With --out it writes the compacted copy to FILE and leaves the store\n"+
			"alone. It needs free disk space for the copy, and refuses while another process\n"+
			"(a running server) holds the store: stop the server, compact, start it again.\n"+
			"Cayley keeps deleted quads as dead entries, so the copy still holds them: it\n"+
			"reclaims the pages bolt freed, not every byte of a deleted article. Pages are\n"+
			"packed full: the smallest file, which grows again under new loads.")
	data := fs.String("data", "./newsgraph-data", "folder of the bolt store")
	out := fs.String("out", "", "write the compacted copy to this file instead of replacing the store's file")
	txMax := fs.Int64("tx-max-bytes", 64<<20, "commit the copy every this many bytes")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	switch {
	case len(pos) > 0:
		return usageError(fs, "unexpected argument %q (give the store folder with --data)", pos[0])
	case strings.TrimSpace(*data) == "":
		return usageError(fs, "--data: empty, want the folder of a bolt store")
	case *txMax <= 0:
		return usageError(fs, "--tx-max-bytes: %d, want > 0", *txMax)
	}
	res, err := compactStore(ctx, *data, *out, *txMax)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph compact: %v\n", err)
		return exitFail
	}
	pct := 0.0
	if res.before > 0 {
		pct = 100 * float64(res.before-res.after) / float64(res.before)
	}
	fmt.Fprintf(e.stdout, "compacted %s: %s -> %s (%.1f%% smaller) into %s in %s\n",
		res.src, mib(res.before), mib(res.after), pct, res.dst, res.elapsed.Round(time.Millisecond))
	return exitOK
}

// compaction is what compactStore did.
type compaction struct {
	src, dst      string // the store's file and where the copy went (src when replaced)
	before, after int64  // file sizes in bytes
	elapsed       time.Duration
}

// mib formats a size in MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// compactTempPrefix starts the names of the copies compaction writes beside the store.
const compactTempPrefix = ".compact-"

// compactStore copies the bolt store in dir into a compacted file: out when set, else a
// temporary file in dir that is synced and renamed over the store's file. It holds the
// store's exclusive lock throughout, so no server opens the store meanwhile, and fails
// when another process holds it.
func compactStore(ctx context.Context, dir, out string, txMax int64) (res compaction, err error) {
	start := time.Now()
	res.src = graph.BoltPath(dir)
	fi, err := os.Stat(res.src)
	if err != nil {
		return res, storeOpenError(dir, err)
	}
	res.before = fi.Size()
	src, err := bolt.Open(res.src, 0o600, &bolt.Options{Timeout: compactLockTimeout, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolt.ErrTimeout) {
		return res, storeOpenError(dir, fmt.Errorf("%w in %s (%s is locked)", graph.ErrLocked, dir, res.src))
	}
	if err != nil {
		return res, fmt.Errorf("open %s: %w", res.src, err)
	}
	defer func() {
		if cerr := src.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close %s: %w", res.src, cerr)
		}
	}()

	replace := out == ""
	if replace {
		// Copies left by an interrupted compaction: no other compaction runs, it would
		// hold the lock we hold.
		old, _ := filepath.Glob(res.src + compactTempPrefix + "*")
		for _, f := range old {
			os.Remove(f)
		}
		f, err := os.CreateTemp(dir, filepath.Base(res.src)+compactTempPrefix+"*")
		if err != nil {
			return res, fmt.Errorf("create the compacted copy in %s: %w", dir, err)
		}
		out = f.Name()
		f.Close()
		os.Remove(out) // bolt creates it with its own mode
	} else if _, err := os.Stat(out); err == nil {
		return res, fmt.Errorf("--out %s: the file exists; give a new file", out)
	}
	res.dst = out
	ok := false
	defer func() {
		if !ok {
			os.Remove(out)
		}
	}()
	dst, err := bolt.Open(out, 0o600, &bolt.Options{Timeout: compactLockTimeout, NoSync: true, NoGrowSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return res, fmt.Errorf("create the compacted copy %s: %w", out, err)
	}
	if err := compactBolt(ctx, dst, src, txMax); err != nil {
		dst.Close()
		return res, fmt.Errorf("compact %s into %s: %w", res.src, out, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return res, fmt.Errorf("sync %s: %w", out, err)
	}
	if err := dst.Close(); err != nil {
		return res, fmt.Errorf("close %s: %w", out, err)
	}
	if err := syncFile(out); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("compact %s: %w (the store is unchanged)", res.src, err)
	}
	if fi, err := os.Stat(out); err == nil {
		res.after = fi.Size()
	}
	if replace {
		if err := os.Rename(out, res.src); err != nil {
			return res, fmt.Errorf("replace %s with its compacted copy: %w", res.src, err)
		}
		res.dst = res.src
		if err := syncFile(dir); err != nil {
			return res, err
		}
	}
	ok = true
	res.elapsed = time.Since(start)
	return res, nil
}

// compactFill is how full compaction packs pages: whole, as bbolt.Compact does. Half
// full pages do not make later loads cheaper in space: a 2,000-article store with half
// its articles deleted, compacted (37.4 MiB at 1.0, 56.1 MiB at 0.5), then given the
// deleted half again, grew to 74.6 MiB at 1.0 and to 109.8 MiB at 0.5.
const compactFill = 1.0

// compactBolt copies every bucket and key of src into dst, committing every txMax
// bytes and checking ctx between keys. It is bbolt.Compact (go.etcd.io/bbolt
// compact.go, MIT licence, © Ben Johnson) with a context.
func compactBolt(ctx context.Context, dst, src *bolt.DB, txMax int64) error {
	const fill = compactFill
	tx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { tx.Rollback() }() // a no-op once committed
	var size int64
	n := 0
	put := func(keys [][]byte, k, v []byte, seq uint64) error {
		if n++; n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if sz := int64(len(k) + len(v)); size+sz > txMax {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = dst.Begin(true); err != nil {
				return err
			}
			size = sz
		} else {
			size += sz
		}
		if len(keys) == 0 {
			b, err := tx.CreateBucket(k)
			if err != nil {
				return err
			}
			b.FillPercent = fill
			return b.SetSequence(seq)
		}
		b := tx.Bucket(keys[0])
		for _, name := range keys[1:] {
			b = b.Bucket(name)
		}
		b.FillPercent = fill
		if v == nil {
			child, err := b.CreateBucket(k)
			if err != nil {
				return err
			}
			child.FillPercent = fill
			return child.SetSequence(seq)
		}
		return b.Put(k, v)
	}
	err = src.View(func(stx *bolt.Tx) error {
		return stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return walkBolt(b, nil, name, nil, b.Sequence(), put)
		})
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// walkBolt calls fn with k and v, and when v is nil (k names bucket b) with every key
// below b, depth first; keys is the path of buckets to k.
func walkBolt(b *bolt.Bucket, keys [][]byte, k, v []byte, seq uint64, fn func(keys [][]byte, k, v []byte, seq uint64) error) error {
	if err := fn(keys, k, v, seq); err != nil {
		return err
	}
	if v != nil {
		return nil
	}
	keys = append(keys, k)
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			child := b.Bucket(k)
			return walkBolt(child, keys, k, nil, child.Sequence(), fn)
		}
		return walkBolt(b, keys, k, v, b.Sequence(), fn)
	})
}

// syncFile flushes a file or a folder (a rename in it) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
