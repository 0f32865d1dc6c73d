#!/usr/bin/env bash
# Load test of newsgraph's gRPC read path with ghz, on a store of the shared corpora.
#
#   bash bench/ghz.sh                    # 20,000 articles, 50 callers, 30 s per call kind
#   ARTICLES=5000 DURATION=10s CONCURRENCY=20 CONNECTIONS=4 KINDS="relations" bash bench/ghz.sh
#   METRICS=1 ARTICLES=5000 DURATION=10s KINDS="relations paths" bash bench/ghz.sh   # metrics on
#
# It builds newsgraph, builds (or reuses, see bench.Store) a bolt store of the first
# $ARTICLES corpus articles with the loader pipeline and writes the request files
# (bench/cmd/benchstore), copies the store, starts `newsgraph serve` on 127.0.0.1 on
# it, and runs ghz (installed at v0.93.0 when missing) against it for each kind in
# $KINDS, round robin over its request file:
#   relations  ListRelations with the defaults (page of 50, 3 evidence items per
#              relation) for 500 entities spread over the mention ranks of those with
#              relations, the most mentioned first
#   between    GetRelationsBetween for up to 500 pairs linked by a statement
#   paths      FindPaths k=3, max_hops=4 for 500 pairs of the 500 most mentioned
#              entities with relations
# The requests go to ghz as binary messages (-B; DATA=json for -D, which renders a JSON
# template into a message for every call and costs the load generator, on the same
# cores, more than a look-up costs the server). A warm-up pass of 10 s per kind runs first (not reported), to fill the relation
# cache the way a serving process is. Reports (ghz JSON and summaries) go to $OUT
# (default: a temporary folder, printed). Needs ../shared/data/corpora. Sends traffic to
# 127.0.0.1 only; the server is stopped on exit. METRICS=1 serves with --http on
# 127.0.0.1:$((PORT+1)) and so with Prometheus metrics (the cost they add to every call
# is what it measures); /metrics is scraped once after each kind, into $OUT/metrics.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
ARTICLES=${ARTICLES:-20000}
CONCURRENCY=${CONCURRENCY:-50}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-1} # ghz's default: the calls share one HTTP/2 connection
WARMUP=${WARMUP:-10s}
KINDS=${KINDS:-relations between paths}
DATA=${DATA:-binary} # binary: ghz -B, the requests as they are; json: ghz -D, a template per call
PORT=${PORT:-17474}
METRICS=${METRICS:-0}
OUT=${OUT:-$(mktemp -d -t newsgraph-ghz-XXXXXX)}
mkdir -p "$OUT"
gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"

command -v ghz >/dev/null || go install github.com/bojand/ghz/cmd/ghz@v0.93.0
go build -o "$OUT/newsgraph" ./cmd/newsgraph
store=$(go run ./bench/cmd/benchstore -articles "$ARTICLES" -out "$OUT/requests")
rm -rf "$OUT/store"
cp -r "$store" "$OUT/store"

addr=127.0.0.1:$PORT
extra=()
if [ "$METRICS" = 1 ]; then extra=(--http "127.0.0.1:$((PORT + 1))" --metrics); fi
"$OUT/newsgraph" serve --data "$OUT/store" --addr "$addr" --log-level info "${extra[@]}" 2>"$OUT/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  "$OUT/newsgraph" query stats --addr "$addr" >"$OUT/stats.txt" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 0.5
done
echo "server on $addr, store $store ($(tr '\n' ' ' <"$OUT/stats.txt"))"
# serve reads the statements behind the edges into its cache in the background after
# opening the store; measure once that is done, as on a server that has been up a while.
for _ in $(seq 1 600); do
  grep -q 'read cache warm' "$OUT/server.log" && break
  sleep 0.5
done
grep 'read cache warm' "$OUT/server.log" | sed 's/^/server: /' || echo "server: read cache still warming after 300 s"

method() {
  case $1 in
    relations) echo ListRelations ;;
    between) echo GetRelationsBetween ;;
    paths) echo FindPaths ;;
    *) echo "unknown kind $1" >&2; exit 2 ;;
  esac
}

for kind in $KINDS; do
  m=newsgraph.v1.NewsGraphService/$(method "$kind")
  if [ "$DATA" = json ]; then data=(-D "$OUT/requests/$kind.json"); else data=(-B "$OUT/requests/$kind.bin"); fi
  ghz --insecure --call "$m" "${data[@]}" -c "$CONCURRENCY" -z "$WARMUP" --duration-stop wait --connections "$CONNECTIONS" \
    -O json -o "$OUT/$kind-warmup.json" "$addr" >/dev/null
  echo "== $kind: $m, $CONCURRENCY concurrent, $DURATION, $DATA requests, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  cpu0=$(awk '{print $14 + $15}' "/proc/$server/stat")
  /usr/bin/time -f "%U %S" -o "$OUT/$kind-ghz.time" \
    ghz --insecure --call "$m" "${data[@]}" -c "$CONCURRENCY" -z "$DURATION" --duration-stop wait --connections "$CONNECTIONS" \
    -O json -o "$OUT/$kind.json" "$addr"
  cpu1=$(awk '{print $14 + $15}' "/proc/$server/stat")
  python3 - "$OUT/$kind.json" "$(( cpu1 - cpu0 ))" "$(getconf CLK_TCK)" "$OUT/$kind-ghz.time" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
server_s = int(sys.argv[2]) / int(sys.argv[3])
ghz_s = sum(float(x) for x in open(sys.argv[4]).read().split())
lat = {d["percentage"]: d["latency"] / 1e6 for d in r.get("latencyDistribution") or []}
errors = sum(r.get("errorDistribution", {}).values()) if r.get("errorDistribution") else 0
print(f'   {r["count"]} calls, {r["rps"]:.0f} req/s, errors {errors}, '
      f'p50 {lat.get(50, 0):.2f} ms, p90 {lat.get(90, 0):.2f} ms, p99 {lat.get(99, 0):.2f} ms, '
      f'status {r.get("statusCodeDistribution")}')
# Both run on this machine's cores: what each spends per call tells the throughput
# the server alone would give.
if r["count"]:
    print(f'   CPU per call: server {server_s / r["count"] * 1e6:.0f} µs, ghz {ghz_s / r["count"] * 1e6:.0f} µs')
EOF
  if [ "$METRICS" = 1 ]; then
    curl -sf "http://127.0.0.1:$((PORT + 1))/metrics" >"$OUT/metrics.txt"
    grep -E "^grpc_server_handled_total\{.*grpc_method=\"$(method "$kind")\"" "$OUT/metrics.txt" | grep -v ' 0$' | sed 's/^/   metrics: /'
  fi
done
echo "reports in $OUT"
