#!/usr/bin/env bash
# bench/load.sh — loads the shared corpora end to end (read, extract on all cores, write
# to a fresh bolt store with fsync) the two ways newsgraph offers, and reports
# articles/s, quads/s and peak RSS (from /usr/bin/time -v):
#
#   serve-load  newsgraph serve --load CORPORA: one process, no client
#   rpc         newsgraph serve on an empty store, then newsgraph load CORPORA through
#               the LoadArticles RPC (one streaming call); peak RSS of the server
#
# usage: bash bench/load.sh [serve-load|rpc|both] [CORPORA]   (default: both,
# ../shared/data/corpora). The machine may be shared: the load average is printed
# before and after each run; quote it with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-both}
data=${2:-../shared/data/corpora}
if [ ! -d "$data" ]; then
	echo "bench/load.sh: skipped: no corpora at $data (../shared/data/corpora beside the repository)"
	exit 0
fi
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/newsgraph" ./cmd/newsgraph
articles=$(find "$data" -name '*.jsonl' -exec cat {} + | grep -c .)

# wait_for FILE PATTERN: until the server's log has the line.
wait_for() {
	for _ in $(seq 1 3000); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "bench/load.sh: timed out waiting for '$2' in $1" >&2
	return 1
}

# stop_server PID: SIGINT to the server under /usr/bin/time PID (time ignores SIGINT
# itself), then wait for both.
stop_server() {
	pkill -INT -P "$1" || true
	wait "$1" || true
}

# peak_rss FILE: the "Maximum resident set size" of /usr/bin/time -v, in MB.
peak_rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$1"; }

serve_load() {
	local log=$work/serve-load.log
	echo "== serve --load $data ($articles articles)"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/time -v -o "$work/serve-load.time" "$work/newsgraph" serve --data "$work/store1" \
		--addr 127.0.0.1:0 --load "$data" --load-every 5000 >"$log" 2>&1 &
	local pid=$!
	pids+=("$pid")
	wait_for "$log" 'msg=serving'
	echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
	stop_server "$pid"
	grep -E 'msg=(loading|"loaded articles"|"store holds")' "$log" | sed 's/^time=[^ ]* //'
	local el quads
	el=$(sed -n 's/.*msg="loaded articles".* elapsed=\([^ ]*\).*/\1/p' "$log")
	quads=$(sed -n 's/.*msg="loaded articles".* quads_added=\([0-9]*\).*/\1/p' "$log")
	echo "result serve-load: elapsed $el, $(awk -v q="$quads" -v e="$el" 'BEGIN { gsub(/s$/, "", e); if (e ~ /m/) { split(e, p, "m"); e = p[1]*60 + p[2] } printf "%.0f quads/s", q/e }'), peak RSS $(peak_rss "$work/serve-load.time")"
}

rpc_load() {
	local log=$work/serve-rpc.log
	echo "== serve + newsgraph load $data ($articles articles, one LoadArticles call)"
	/usr/bin/time -v -o "$work/serve-rpc.time" "$work/newsgraph" serve --data "$work/store2" \
		--addr 127.0.0.1:0 >"$log" 2>&1 &
	local pid=$!
	pids+=("$pid")
	wait_for "$log" 'msg=serving'
	local addr
	addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$log")
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	local start end
	start=$(date +%s.%N)
	"$work/newsgraph" load --addr "$addr" --quiet --every 5000 "$data" >"$work/load.out" 2>"$work/load.err" || true
	end=$(date +%s.%N)
	echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
	stop_server "$pid"
	cat "$work/load.err" "$work/load.out" | grep -E '^(load:|total:|store:|rejections|  )' | tail -12
	local quads
	quads=$(sed -n 's/^total:.*; \([0-9]*\) quads added.*/\1/p' "$work/load.out")
	awk -v s="$start" -v e="$end" -v n="$articles" -v q="$quads" \
		'BEGIN { printf "result rpc: %.1f s, %.0f articles/s, %.0f quads/s, ", e-s, n/(e-s), q/(e-s) }'
	echo "server peak RSS $(peak_rss "$work/serve-rpc.time")"
}

case $mode in
serve-load) serve_load ;;
rpc) rpc_load ;;
both)
	serve_load
	rpc_load
	;;
*)
	echo "usage: bash bench/load.sh [serve-load|rpc|both] [CORPORA]" >&2
	exit 2
	;;
esac
