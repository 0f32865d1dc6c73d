#!/usr/bin/env bash
# bench/crash.sh — the long run of the crash harness (cmd/newsgraph/crash_test.go,
# TestCrash): builds newsgraph, loads a synthetic corpus into a bolt store and SIGKILLs,
# in turn, the server under `newsgraph load`, `serve --load` and the load client, at
# random moments; after every kill the store must open, `newsgraph check` must find no
# violation and every article the client acknowledged must be stored whole; at the end
# a reload of the whole corpus must store each article once, with the counts of an
# uninterrupted load into a fresh store. The default `go test` run makes 5 kills.
#
# usage: bash bench/crash.sh [KILLS] [real]   (default 50; NEWSGRAPH_CRASH_SEED=N replays a
# run; "real" loads the shared FA-KES and Reuters-21578 corpora instead of the synthetic
# one, and skips when they are absent)
# The last lines give the kills, the articles acknowledged, lost and the violations.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
if [ "${2:-}" = real ]; then
	data=$(cd .. && pwd)/shared/data/corpora
	export NEWSGRAPH_CRASH_CORPUS=$data/fakes-syria-dev.jsonl,$data/reuters21578.jsonl
fi
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
NEWSGRAPH_CRASH_KILLS=$kills go test -count=1 -timeout 60m -run '^TestCrash$' -v ./cmd/newsgraph >"$log" 2>&1 || status=$?
cat "$log"
echo
grep -E 'seed |crash harness:|^--- ' "$log" || true
echo "bench/crash.sh: $kills kills, exit $status, wall time $(( $(date +%s) - start ))s"
exit $status
