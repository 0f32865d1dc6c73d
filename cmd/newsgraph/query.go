package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/newsgraph/newsgraph/client"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// queryKind is one query subcommand.
type queryKind struct {
	name, args, about string
	nargs             int
	// setup declares the kind's flags and returns the call to make with the
	// positional arguments.
	setup func(fs *flag.FlagSet) queryCall
}

// queryCall makes a query's call with the positional arguments. It returns the
// answer to print, or, for a streamed answer, hands each message to emit as it
// arrives and returns nil.
type queryCall func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error)

func queryKinds() []queryKind {
	return []queryKind{
		{"entity", "ENTITY", "Shows an entity: IRI, type, name, aliases, mentions.", 1, setupEntity},
		{"search", "TEXT", "Finds entities by name or alias.", 1, setupSearch},
		{"relations", "ENTITY", "Lists the relations of an entity with their evidence.", 1, setupRelations},
		{"between", "ENTITY OTHER", "Lists the relations between two entities with their evidence.", 2, setupBetween},
		{"paths", "FROM TO", "Finds the shortest paths between two entities, every hop with its evidence.", 2, setupPaths},
		{"neighbourhood", "ENTITY", "Shows the subgraph around an entity.", 1, setupNeighbourhood},
		{"timeline", "ENTITY", "Lists the events of an entity by event date, with counts and evidence.", 1, setupTimeline},
		{"stats", "", "Counts what the graph holds.", 0, setupStats},
	}
}

const entityHelp = "An ENTITY is an IRI (ng:e/state/united_states) or a name or alias (\"United States\", \"US\");\n" +
	"of several entities with that name the most mentioned is used (narrow it with --type)."

func runQuery(ctx context.Context, args []string, e env) int {
	kinds := queryKinds()
	qusage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: newsgraph query KIND [flags] ARGS...\n\nkinds:\n")
		for _, k := range kinds {
			fmt.Fprintf(w, "  %-14s %-13s %s\n", k.name, k.args, k.about)
		}
		fmt.Fprintf(w, "\n%s\n\nRun 'newsgraph query KIND -h' for the flags of a kind.\n", entityHelp)
	}
	if len(args) == 0 {
		qusage(e.stderr)
		return exitUsage
	}
	if a := args[0]; a == "-h" || a == "-help" || a == "--help" || a == "help" {
		qusage(e.stdout)
		return exitOK
	}
	var kind *queryKind
	for i := range kinds {
		if kinds[i].name == args[0] || (args[0] == "neighborhood" && kinds[i].name == "neighbourhood") {
			kind = &kinds[i]
		}
	}
	if kind == nil {
		fmt.Fprintf(e.stderr, "newsgraph query: unknown kind %q\n\n", args[0])
		qusage(e.stderr)
		return exitUsage
	}
	about := kind.about
	if strings.Contains(kind.args, "ENTITY") || strings.Contains(kind.args, "FROM") {
		about += "\n" + entityHelp
	}
	fs := newFlagSet(e, "query "+kind.name, strings.TrimSpace("query "+kind.name+" [flags] "+kind.args), about)
	addr := fs.String("addr", defaultAddr, "server address, host:port")
	conn := addConnFlags(fs)
	asJSON := fs.Bool("json", false, "print the answer as JSON (protojson)")
	timeout := fs.Duration("timeout", 30*time.Second, "deadline of the call")
	call := kind.setup(fs)
	pos, code, ok := parseFlags(fs, args[1:])
	if !ok {
		return code
	}
	if len(pos) != kind.nargs {
		want := kind.args
		if want == "" {
			want = "no arguments"
		}
		return usageError(fs, "got %d arguments, want %s", len(pos), want)
	}
	if *timeout <= 0 {
		return usageError(fs, "--timeout: %v, want > 0", *timeout)
	}
	c, err := conn.dial(*addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", fs.Name(), err)
		return exitFail
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	// A streamed answer is printed message by message: text as for the whole answer,
	// JSON as one object per line.
	var printErr error
	sp := &streamPrinter{w: e.stdout}
	emit := func(m proto.Message) {
		if printErr != nil {
			return
		}
		if *asJSON {
			b, err := protojson.Marshal(m)
			if err != nil {
				printErr = err
				return
			}
			_, printErr = fmt.Fprintf(e.stdout, "%s\n", b)
			return
		}
		sp.print(m)
	}
	resp, err := call(ctx, c, pos, emit)
	if err == nil {
		err = printErr
	}
	if err != nil {
		if ue, ok := err.(usageErr); ok {
			return usageError(fs, "%s", string(ue))
		}
		fmt.Fprintf(e.stderr, "newsgraph %s: %s\n", fs.Name(), rpcError(err))
		return exitFail
	}
	if resp == nil { // streamed
		if !*asJSON {
			sp.finish()
		}
		return exitOK
	}
	if *asJSON {
		b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(resp)
		if err != nil {
			fmt.Fprintf(e.stderr, "newsgraph %s: %v\n", fs.Name(), err)
			return exitFail
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
		return exitOK
	}
	printText(e.stdout, resp)
	return exitOK
}

// usageErr is a bad flag value found when the call is built; it is reported with the
// usage text.
type usageErr string

func (u usageErr) Error() string { return string(u) }

// entityFlags are the flags that qualify an ENTITY argument.
type entityFlags struct{ typ *string }

func addEntityFlags(fs *flag.FlagSet, name, what string) entityFlags {
	return entityFlags{fs.String(name, "", "type of "+what+" when named: "+typeNames())}
}

func typeNames() string {
	var names []string
	for v := int32(1); ; v++ {
		n, ok := pb.EntityType_name[v]
		if !ok {
			break
		}
		names = append(names, strings.ToLower(strings.TrimPrefix(n, "ENTITY_TYPE_")))
	}
	return strings.Join(names, ", ")
}

func parseEntityType(flagName, s string) (pb.EntityType, error) {
	if s == "" {
		return pb.EntityType_ENTITY_TYPE_UNSPECIFIED, nil
	}
	v, ok := pb.EntityType_value["ENTITY_TYPE_"+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, usageErr(fmt.Sprintf("--%s: %q, want one of %s", flagName, s, typeNames()))
	}
	return pb.EntityType(v), nil
}

// selector makes the selector for an ENTITY argument: an IRI if it starts with "ng:",
// a name otherwise.
func selector(arg, flagName, typ string) (*pb.EntitySelector, error) {
	t, err := parseEntityType(flagName, typ)
	if err != nil {
		return nil, err
	}
	return client.Select(arg, t), nil
}

func parseDirection(s string) (pb.Direction, error) {
	switch strings.ToLower(s) {
	case "", "both":
		return pb.Direction_DIRECTION_BOTH, nil
	case "out", "outgoing":
		return pb.Direction_DIRECTION_OUTGOING, nil
	case "in", "incoming":
		return pb.Direction_DIRECTION_INCOMING, nil
	}
	return 0, usageErr(fmt.Sprintf("--direction: %q, want both, out or in", s))
}

func parseModalities(l stringList) ([]pb.Modality, error) {
	var out []pb.Modality
	for _, s := range l.splitCommas() {
		v, ok := pb.Modality_value["MODALITY_"+strings.ToUpper(s)]
		if !ok || v == 0 {
			return nil, usageErr(fmt.Sprintf("--modality: %q, want asserted, hedged, negated or reported", s))
		}
		out = append(out, pb.Modality(v))
	}
	return out, nil
}

func setupEntity(fs *flag.FlagSet) queryCall {
	ef := addEntityFlags(fs, "type", "ENTITY")
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		sel, err := selector(args[0], "type", *ef.typ)
		if err != nil {
			return nil, err
		}
		ent, err := c.Entity(ctx, sel)
		if err != nil {
			return nil, err
		}
		return &pb.GetEntityResponse{Entity: ent}, nil
	}
}

func setupSearch(fs *flag.FlagSet) queryCall {
	mode := fs.String("mode", "fuzzy", "how TEXT matches: exact, prefix or fuzzy")
	var types stringList
	fs.Var(&types, "type", "keep entities of these types (repeatable, comma-separated): "+typeNames())
	limit := fs.Int("limit", 0, "number of entities (0: server default)")
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		m, ok := pb.SearchMode_value["SEARCH_MODE_"+strings.ToUpper(*mode)]
		if !ok || m == 0 {
			return nil, usageErr(fmt.Sprintf("--mode: %q, want exact, prefix or fuzzy", *mode))
		}
		req := &pb.SearchEntitiesRequest{Query: args[0], Mode: pb.SearchMode(m), Limit: int32(*limit)}
		for _, t := range types.splitCommas() {
			et, err := parseEntityType("type", t)
			if err != nil {
				return nil, err
			}
			req.Types = append(req.Types, et)
		}
		found, err := c.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		return &pb.SearchEntitiesResponse{Entities: found}, nil
	}
}

// relationFlags are the filter flags of relations and between.
type relationFlags struct {
	predicates, modalities stringList
	direction, from, to    *string
	minSources, evidence   *int
	pageSize               *int
	pageToken              *string
}

// directionAndModalities parses --direction and --modality.
func (f *relationFlags) directionAndModalities() (pb.Direction, []pb.Modality, error) {
	dir, err := parseDirection(*f.direction)
	if err != nil {
		return 0, nil, err
	}
	mods, err := parseModalities(f.modalities)
	return dir, mods, err
}

func addRelationFlags(fs *flag.FlagSet) *relationFlags {
	f := &relationFlags{}
	fs.Var(&f.predicates, "predicate", "keep relations with these names (repeatable, comma-separated), e.g. warned,bombed")
	fs.Var(&f.modalities, "modality", "keep evidence with these modalities (repeatable, comma-separated): asserted, hedged, negated, reported")
	f.direction = fs.String("direction", "both", "which side the entity is on: both, out (subject) or in (object)")
	f.from = fs.String("from", "", "keep events on or after this day, YYYY-MM-DD")
	f.to = fs.String("to", "", "keep events on or before this day, YYYY-MM-DD")
	f.minSources = fs.Int("min-sources", 0, "keep relations reported by at least this many sources")
	f.evidence = fs.Int("evidence", 0, "evidence items per relation (0: server default)")
	f.pageSize = fs.Int("page-size", 0, "relations per page (0: server default)")
	f.pageToken = fs.String("page-token", "", "page to fetch: the next_page_token of the previous answer")
	return f
}

func int32Flag(name string, v int) (int32, error) {
	if v < 0 || v > 1<<31-1 {
		return 0, usageErr(fmt.Sprintf("--%s: %d, want 0..%d", name, v, 1<<31-1))
	}
	return int32(v), nil
}

// intFlag is an int flag's value going into an int32 field of a request.
type intFlag struct {
	name string
	v    int
	dst  *int32
}

// int32s stores int flag values in their fields, naming the first flag out of range.
func int32s(flags ...intFlag) error {
	for _, f := range flags {
		n, err := int32Flag(f.name, f.v)
		if err != nil {
			return err
		}
		*f.dst = n
	}
	return nil
}

func setupRelations(fs *flag.FlagSet) queryCall {
	ef := addEntityFlags(fs, "type", "ENTITY")
	rf := addRelationFlags(fs)
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		sel, err := selector(args[0], "type", *ef.typ)
		if err != nil {
			return nil, err
		}
		dir, mods, err := rf.directionAndModalities()
		if err != nil {
			return nil, err
		}
		req := &pb.ListRelationsRequest{
			Entity: sel, Predicates: rf.predicates.splitCommas(), Direction: dir,
			EventDateFrom: *rf.from, EventDateTo: *rf.to, Modalities: mods, PageToken: *rf.pageToken,
		}
		if err := int32s(intFlag{"min-sources", *rf.minSources, &req.MinSources}, intFlag{"evidence", *rf.evidence, &req.MaxEvidence}, intFlag{"page-size", *rf.pageSize, &req.PageSize}); err != nil {
			return nil, err
		}
		return c.RelationsPage(ctx, req)
	}
}

func setupBetween(fs *flag.FlagSet) queryCall {
	ef := addEntityFlags(fs, "type", "ENTITY")
	of := addEntityFlags(fs, "other-type", "OTHER")
	rf := addRelationFlags(fs)
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		a, err := selector(args[0], "type", *ef.typ)
		if err != nil {
			return nil, err
		}
		b, err := selector(args[1], "other-type", *of.typ)
		if err != nil {
			return nil, err
		}
		dir, mods, err := rf.directionAndModalities()
		if err != nil {
			return nil, err
		}
		req := &pb.GetRelationsBetweenRequest{
			Entity: a, Other: b, Predicates: rf.predicates.splitCommas(), Direction: dir,
			EventDateFrom: *rf.from, EventDateTo: *rf.to, Modalities: mods, PageToken: *rf.pageToken,
		}
		if err := int32s(intFlag{"min-sources", *rf.minSources, &req.MinSources}, intFlag{"evidence", *rf.evidence, &req.MaxEvidence}, intFlag{"page-size", *rf.pageSize, &req.PageSize}); err != nil {
			return nil, err
		}
		return c.BetweenPage(ctx, req)
	}
}

func setupPaths(fs *flag.FlagSet) queryCall {
	ff := addEntityFlags(fs, "from-type", "FROM")
	tf := addEntityFlags(fs, "to-type", "TO")
	k := fs.Int("k", 3, "number of paths")
	hops := fs.Int("max-hops", 0, "longest path (0: server default)")
	nodes := fs.Int("max-nodes", 0, "node budget of the search (0: server default)")
	evidence := fs.Int("evidence", 0, "evidence items per hop (0: server default)")
	maxDegree := fs.Int("max-degree", 0, "do not pass through entities with more direct edges than this, e.g. 200 (0: no limit)")
	fromDate := fs.String("from-date", "", "keep hops with events on or after this day, YYYY-MM-DD")
	toDate := fs.String("to-date", "", "keep hops with events on or before this day, YYYY-MM-DD")
	stream := fs.Bool("stream", false, "print each path as soon as the server finds it (StreamPaths; with --json one object per line)")
	var preds, modalities stringList
	fs.Var(&preds, "predicate", "relations a path may follow (repeatable, comma-separated); default all")
	fs.Var(&modalities, "modality", "keep hops with evidence of these modalities (repeatable, comma-separated): asserted, hedged, negated, reported")
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		from, err := selector(args[0], "from-type", *ff.typ)
		if err != nil {
			return nil, err
		}
		to, err := selector(args[1], "to-type", *tf.typ)
		if err != nil {
			return nil, err
		}
		mods, err := parseModalities(modalities)
		if err != nil {
			return nil, err
		}
		req := &pb.FindPathsRequest{From: from, To: to, Predicates: preds.splitCommas(), Modalities: mods,
			EventDateFrom: *fromDate, EventDateTo: *toDate}
		if err := int32s(intFlag{"k", *k, &req.K}, intFlag{"max-hops", *hops, &req.MaxHops}, intFlag{"max-nodes", *nodes, &req.MaxNodes},
			intFlag{"evidence", *evidence, &req.MaxEvidence}, intFlag{"max-degree", *maxDegree, &req.MaxDegree}); err != nil {
			return nil, err
		}
		if !*stream {
			return c.Paths(ctx, req)
		}
		for m, err := range c.StreamPaths(ctx, req) {
			if err != nil {
				return nil, err
			}
			emit(m)
		}
		return nil, nil
	}
}

func setupNeighbourhood(fs *flag.FlagSet) queryCall {
	ef := addEntityFlags(fs, "type", "ENTITY")
	depth := fs.Int("depth", 1, "hops from the entity")
	nodes := fs.Int("max-nodes", 0, "most nodes returned (0: server default)")
	var preds stringList
	fs.Var(&preds, "predicate", "relations followed (repeatable, comma-separated); default all")
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		sel, err := selector(args[0], "type", *ef.typ)
		if err != nil {
			return nil, err
		}
		req := &pb.GetNeighbourhoodRequest{Entity: sel, Predicates: preds.splitCommas()}
		if err := int32s(intFlag{"depth", *depth, &req.Depth}, intFlag{"max-nodes", *nodes, &req.MaxNodes}); err != nil {
			return nil, err
		}
		return c.Neighbourhood(ctx, req)
	}
}

func setupTimeline(fs *flag.FlagSet) queryCall {
	ef := addEntityFlags(fs, "type", "ENTITY")
	rf := addRelationFlags(fs)
	newest := fs.Bool("newest-first", false, "newest event first (default oldest first)")
	return func(ctx context.Context, c *client.Client, args []string, emit func(proto.Message)) (proto.Message, error) {
		sel, err := selector(args[0], "type", *ef.typ)
		if err != nil {
			return nil, err
		}
		dir, mods, err := rf.directionAndModalities()
		if err != nil {
			return nil, err
		}
		req := &pb.GetTimelineRequest{
			Entity: sel, Predicates: rf.predicates.splitCommas(), Direction: dir, NewestFirst: *newest,
			EventDateFrom: *rf.from, EventDateTo: *rf.to, Modalities: mods, PageToken: *rf.pageToken,
		}
		if err := int32s(intFlag{"min-sources", *rf.minSources, &req.MinSources}, intFlag{"evidence", *rf.evidence, &req.MaxEvidence}, intFlag{"page-size", *rf.pageSize, &req.PageSize}); err != nil {
			return nil, err
		}
		return c.TimelinePage(ctx, req)
	}
}

func setupStats(*flag.FlagSet) queryCall {
	return func(ctx context.Context, c *client.Client, _ []string, _ func(proto.Message)) (proto.Message, error) {
		return c.Stats(ctx)
	}
}

func runDelete(ctx context.Context, args []string, e env) int {
	fs := newFlagSet(e, "delete", "delete [flags] ID",
		"Deletes the article with id ID and the facts only it supports.")
	addr := fs.String("addr", defaultAddr, "server address, host:port")
	conn := addConnFlags(fs)
	timeout := fs.Duration("timeout", 30*time.Second, "deadline of the call")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(fs, "got %d arguments, want the article ID", len(pos))
	}
	c, err := conn.dial(*addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph delete: %v\n", err)
		return exitFail
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	resp, err := c.Delete(ctx, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "newsgraph delete: %s\n", rpcError(err))
		return exitFail
	}
	fmt.Fprintf(e.stdout, "deleted %s: %d quads removed\n", pos[0], resp.GetQuadsRemoved())
	return exitOK
}
