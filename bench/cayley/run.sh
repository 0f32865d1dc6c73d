#!/usr/bin/env bash
# bench/cayley/run.sh — newsgraph's writer against `cayley load`, in one run, on the
# same quads:
#
#  0. ngwriter extracts the corpora into a JSON file (not timed);
#  1. ngwriter reads that file and times newsgraph's writer
#     (graph.CayleyStore.PutArticles in batches, fresh bolt store, fsync on) and dumps
#     the quads it stored as N-Quads; with RAW=1 it also times Cayley's library
#     ApplyDeltas applying those quads in batches of 10,000 (no planning at all);
#  2. `cayley load` (Cayley's own CLI, built from its command package at the version
#     newsgraph uses) loads that N-Quads file into a fresh bolt store, timed by
#     /usr/bin/time -v, with Cayley's defaults ("bbolt", the engine newsgraph uses).
#
# usage: bash bench/cayley/run.sh [CORPORA] [ARTICLES]   (default: all of
# ../shared/data/corpora). Environment: BATCH (articles per PutArticles call, default
# 4096 as the loader pipeline), RAW=1, REPEAT=n (n rounds of both timings, one after
# the other, on the articles extracted once; each round's ratios and their medians are
# printed). The machine may be shared: quote the load averages printed.
set -euo pipefail
cd "$(dirname "$0")"
data=${1:-../../../shared/data/corpora}
limit=${2:-0}
if [ ! -d "$data" ]; then
	echo "bench/cayley/run.sh: skipped: no corpora at $data (../shared/data/corpora beside the repository)"
	exit 0
fi
data=$(cd "$data" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/" ./cmd/cayley ./cmd/ngwriter

raw=()
[ "${RAW:-}" = 1 ] && raw=(-raw)
# The articles are extracted once, into a file every round reads: the writer is timed
# in a process that holds the articles but not the extractor's state.
"$work/ngwriter" -data "$data" -articles "$limit" -cache "$work/articles.json" -extract-only
rounds=${REPEAT:-1}
ratios=()
cpuratios=()
for round in $(seq 1 "$rounds"); do
	[ "$rounds" -gt 1 ] && echo "=== round $round of $rounds"
	rm -rf "$work/newsgraph" "$work/cayley-store" "$work/cayley-raw" "$work/newsgraph-raw"
	nq=()
	[ "$round" = 1 ] && nq=(-nq "$work/quads.nq")
	echo "== newsgraph writer (PutArticles, batch ${BATCH:-4096} articles)"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/time -v -o "$work/ng.time" "$work/ngwriter" -data "$data" -articles "$limit" \
		-cache "$work/articles.json" -batch "${BATCH:-4096}" -dir "$work" "${nq[@]}" "${raw[@]}" | tee "$work/ng.out"
	echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
	awk -F': ' '/Maximum resident set size/ {printf "ngwriter peak RSS %.0f MB (every article held in memory included)\n", $2/1024}' "$work/ng.time"
	[ "$round" = 1 ] && quads=$(sed -n 's/^nquads file=.* quads=\([0-9]*\)$/\1/p' "$work/ng.out")
	ngrate=$(sed -n 's/^newsgraph_writer .* quads_per_s=\([0-9]*\) .*/\1/p' "$work/ng.out")
	ngcpu=$(sed -n 's/^newsgraph_writer .* quads_per_cpu_s=\([0-9]*\) .*/\1/p' "$work/ng.out")

	echo "== cayley load (${quads} quads, $(du -h "$work/quads.nq" | cut -f1) of N-Quads, bbolt)"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	start=$(date +%s.%N)
	/usr/bin/time -v -o "$work/cayley.time" "$work/cayley" load --init -d bbolt -a "$work/cayley-store" -i "$work/quads.nq" \
		>"$work/cayley.log" 2>&1 || { cat "$work/cayley.log"; exit 1; }
	end=$(date +%s.%N)
	echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
	crate=$(awk -v s="$start" -v e="$end" -v q="$quads" 'BEGIN { printf "%.0f", q/(e-s) }')
	awk -v s="$start" -v e="$end" 'BEGIN { printf "cayley_load seconds=%.2f ", e-s }'
	ccpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/cayley.time")
	ccpurate=$(awk -v q="$quads" -v c="$ccpu" 'BEGIN { printf "%.0f", q/c }')
	echo "quads_per_s=$crate cpu_seconds=$ccpu quads_per_cpu_s=$ccpurate peak_rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/cayley.time")"
	awk -v a="$ngrate" -v b="$crate" -v c="$ngcpu" -v d="$ccpurate" \
		'BEGIN { printf "newsgraph writer / cayley load: %.2fx in quads/s, %.2fx in quads per CPU second\n", a/b, c/d }'
	ratios+=("$(awk -v a="$ngrate" -v b="$crate" 'BEGIN { printf "%.2f", a/b }')")
	cpuratios+=("$(awk -v c="$ngcpu" -v d="$ccpurate" 'BEGIN { printf "%.2f", c/d }')")
done
if [ "$rounds" -gt 1 ]; then
	median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'; }
	echo "rounds: ${ratios[*]} in quads/s; ${cpuratios[*]} per CPU second"
	echo "median newsgraph writer / cayley load: $(median "${ratios[@]}")x in quads/s, $(median "${cpuratios[@]}")x in quads per CPU second"
fi
