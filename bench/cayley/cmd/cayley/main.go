// Command cayley is Cayley's own command-line tool (init, load, dump, convert, …)
// built from github.com/cayleygraph/cayley/cmd/cayley/command at the version newsgraph
// uses, so that `cayley load` can be timed against newsgraph's writer on the same
// quads (see ../../run.sh). `go install` of Cayley's cmd/cayley fails because its
// go.mod has replace directives; this main wraps the same commands instead. It sets
// Cayley's package globals from its flags as Cayley's main does: that is fine in a
// tool of its own and must never happen in newsgraph's module.
package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/cayleygraph/cayley/clog"
	_ "github.com/cayleygraph/cayley/clog/glog"
	"github.com/cayleygraph/cayley/cmd/cayley/command"
	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // "bbolt", the engine newsgraph uses
	_ "github.com/cayleygraph/cayley/graph/kv/bolt"  // "bolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/nquads"
)

func main() {
	root := &cobra.Command{
		Use:   "cayley",
		Short: "Cayley's command-line tool (init, load, dump, convert), for benchmarks.",
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			graph.IgnoreDuplicates = viper.GetBool("load.ignore_duplicates")
			graph.IgnoreMissing = viper.GetBool("load.ignore_missing")
			quad.DefaultBatch = viper.GetInt("load.batch")
			return nil
		},
	}
	root.AddCommand(
		command.NewInitDatabaseCmd(),
		command.NewLoadDatabaseCmd(),
		command.NewDumpDatabaseCmd(),
		command.NewConvertCmd(),
	)
	f := root.PersistentFlags()
	f.StringP("db", "d", "memstore", "database backend to use: "+joinNames(graph.QuadStores()))
	f.StringP("dbpath", "a", "", "path or address string for database")
	f.Bool("read_only", false, "open database in read-only mode")
	f.Bool("dup", true, "don't stop loading on duplicated on add")
	f.Bool("missing", false, "don't stop loading on missing key on delete")
	f.Int("batch", quad.DefaultBatch, "size of quads batch to load at once")
	f.String("memprofile", "", "path to output memory profile")
	f.String("cpuprofile", "", "path to output cpu profile")
	_ = viper.BindPFlag(command.KeyBackend, f.Lookup("db"))
	_ = viper.BindPFlag(command.KeyAddress, f.Lookup("dbpath"))
	_ = viper.BindPFlag(command.KeyReadOnly, f.Lookup("read_only"))
	_ = viper.BindPFlag("load.ignore_duplicates", f.Lookup("dup"))
	_ = viper.BindPFlag("load.ignore_missing", f.Lookup("missing"))
	_ = viper.BindPFlag(command.KeyLoadBatch, f.Lookup("batch"))
	viper.RegisterAlias(command.KeyPath, command.KeyAddress)
	if err := root.Execute(); err != nil {
		clog.Errorf("%v", err)
		os.Exit(1)
	}
}

func joinNames(ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}
