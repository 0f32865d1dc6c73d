#!/usr/bin/env bash
# bench/soak.sh — a long run of one `newsgraph serve` under mixed load: streaming loads,
# deletes and ghz reads at once, with per-interval figures and a pass/fail verdict.
#
#   bash bench/soak.sh                       # 30 minutes, a row a minute
#   SOAK_DURATION=60s bash bench/soak.sh     # CI: 60 s, a row every 10 s
#
# It builds newsgraph and bench/cmd/soak into a temporary folder, starts `newsgraph
# serve` on 127.0.0.1:$SOAK_PORT with a fresh --data folder preloaded (serve --load)
# with the first $SOAK_PRELOAD articles of the corpus, asks it for entities and linked
# pairs (soak requests), and then, for $SOAK_DURATION, runs at the same time:
#   loads    `newsgraph load --batch 250` of the corpus in files of $SOAK_BATCH articles,
#            one after the other: first the articles not preloaded (new), then round and
#            round over the whole corpus (re-loads: unchanged, or stored again when
#            deleted since)
#   deletes  `newsgraph delete` of one article every $SOAK_DELETE_EVERY seconds, picked at
#            random from the last file loaded, never a preloaded article (so the entities
#            the reads ask for stay) and never one deleted since its last load
#   reads    ghz, 50 concurrent calls over 5 connections: GetStats 5, SearchEntities 10
#            (prefix and fuzzy), ListRelations 15, GetRelationsBetween 10, FindPaths
#            (k=3, up to 4 hops) 10; a new ghz run each interval
# The corpus is ../shared/data/corpora (FA-KES, then Reuters-21578: 20,181 articles;
# $SOAK_ARTICLES caps it) or, when absent, examples/articles and 6,000 synthetic
# articles (soak synth).
#
# Every interval ($SOAK_INTERVAL: 60s, or 10s for runs under 10 minutes) adds a row to
# soak.tsv: elapsed time, reads/s, read p50/p99 ms (over all read calls of the
# interval), read errors, loads and articles acknowledged (and per second), articles
# rejected, deletes, load/delete errors, server RSS (VmRSS of /proc/PID/status) and the
# store's size (du of --data). At the end the server is stopped (SIGTERM) and
# `newsgraph check --data` must report 0 violations. Results go to $SOAK_OUT (default: a
# temporary folder, printed): soak.tsv, soak.md (the table), soak.svg (the curves;
# soak.png too when gnuplot is installed), logs; the last line is the summary.
#
# Exit status 1 when:
#   - any read call is not OK, any `load` fails (exit status not 0, except when its totals
#     line shows it finished and only rejected articles of the corpus: those are input the
#     loader refuses on every pass, e.g. an empty text, counted as "rejected", not errors),
#     or any `delete` fails;
#   - the RSS grows without bound: the criterion is that the last interval's RSS must not
#     exceed $SOAK_RSS_FACTOR (2) times the RSS after the first interval. The preload
#     holds a fifth of the corpus or more and the live set at most the whole corpus, so a
#     server whose memory follows its store stays within it; a leak proportional to the
#     calls or loads does not;
#   - `newsgraph check` reports a violation, or the server exits early.
# ghz v0.93.0 is installed with go install when missing; if that fails the soak is
# skipped (exit 0, with a message). Sends traffic to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"

SOAK_DURATION=${SOAK_DURATION:-30m}
secs() { # secs 90s|30m|1h|45 -> seconds
  case $1 in
    *h) echo $(( ${1%h} * 3600 )) ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
duration=$(secs "$SOAK_DURATION")
if [ "$duration" -ge 600 ]; then def_interval=60s; else def_interval=10s; fi
interval=$(secs "${SOAK_INTERVAL:-$def_interval}")
SOAK_BATCH=${SOAK_BATCH:-500}
SOAK_DELETE_EVERY=${SOAK_DELETE_EVERY:-1}
SOAK_RSS_FACTOR=${SOAK_RSS_FACTOR:-2}
SOAK_PORT=${SOAK_PORT:-17480}
SOAK_OUT=${SOAK_OUT:-$(mktemp -d -t newsgraph-soak-XXXXXX)}
data=${NEWSGRAPH_DATA:-$(cd .. && pwd)/shared/data}
addr=127.0.0.1:$SOAK_PORT
out=$SOAK_OUT
mkdir -p "$out"
work=$(mktemp -d -t newsgraph-soak-work-XXXXXX)
say() { printf '%s soak: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if ! command -v ghz >/dev/null; then
  say "installing ghz v0.93.0"
  if ! go install github.com/bojand/ghz/cmd/ghz@v0.93.0 >"$work/ghz-install.log" 2>&1; then
    tail -5 "$work/ghz-install.log"
    echo "bench/soak.sh: skipped: ghz cannot be installed (go install github.com/bojand/ghz/cmd/ghz@v0.93.0 failed)"
    rm -rf "$work"
    exit 0
  fi
fi

pids=()
server=
cleanup() {
  touch "$work/stop"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say "building newsgraph and bench/cmd/soak"
go build -o "$work/newsgraph" ./cmd/newsgraph
go build -o "$work/soak" ./bench/cmd/soak
ng=$work/newsgraph

# The corpus, in files of $SOAK_BATCH articles.
if [ -f "$data/corpora/fakes-syria-dev.jsonl" ] && [ -f "$data/corpora/reuters21578.jsonl" ]; then
  cat "$data/corpora/fakes-syria-dev.jsonl" "$data/corpora/reuters21578.jsonl" | head -n "${SOAK_ARTICLES:-1000000}" >"$work/corpus.jsonl"
  corpus="the shared corpora (FA-KES, Reuters-21578)"
  def_preload=4000
else
  "$work/soak" synth -n "${SOAK_ARTICLES:-6000}" >"$work/corpus.jsonl"
  corpus="examples/articles and synthetic articles (../shared/data is absent)"
  def_preload=2000
fi
articles=$(grep -c . "$work/corpus.jsonl")
SOAK_PRELOAD=${SOAK_PRELOAD:-$def_preload}
mkdir -p "$work/chunks" "$work/acked" "$work/ghz"
split -d -a 4 -l "$SOAK_BATCH" "$work/corpus.jsonl" "$work/chunks/c"
for f in "$work/chunks"/c*; do mv "$f" "$f.jsonl"; done
chunks=("$work/chunks"/c*.jsonl)
pre_chunks=$(( (SOAK_PRELOAD + SOAK_BATCH - 1) / SOAK_BATCH ))
[ "$pre_chunks" -lt "${#chunks[@]}" ] || { echo "bench/soak.sh: SOAK_PRELOAD=$SOAK_PRELOAD leaves no article to load (corpus $articles)"; exit 2; }
mkdir -p "$work/preload"
for ((i = 0; i < pre_chunks; i++)); do cp "${chunks[$i]}" "$work/preload/"; done
preloaded=$(cat "$work/preload"/*.jsonl | grep -c .)

say "corpus: $articles articles from $corpus; preloading $preloaded (${pre_chunks} files of $SOAK_BATCH)"
store=$work/data
t=$(date +%s)
"$ng" serve --data "$store" --addr "$addr" --load "$work/preload" --load examples/articles --log-level warn 2>"$out/server.log" &
server=$!
until "$ng" query stats --addr "$addr" >"$out/stats-start.txt" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log"; echo "bench/soak.sh: the server exited during the preload"; exit 1; }
  sleep 1
done
say "server pid $server on $addr, preloaded in $(( $(date +%s) - t ))s: $(tr '\n' ' ' <"$out/stats-start.txt")"
"$work/soak" requests -addr "$addr" -out "$work/req"

end=$(( $(date +%s) + duration ))
events=$work/events.tsv # epoch_s kind ok n rejected detail
: >"$events"

# (a) loads: the new articles first, then round and round over the whole corpus.
loader() {
  local seq=0 i=$pre_chunks f rc log tot n rej
  while [ "$(date +%s)" -lt "$end" ] && [ ! -e "$work/stop" ]; do
    f=${chunks[$i]}
    seq=$((seq + 1))
    log=$work/load-$seq.log
    rc=0
    "$ng" load --addr "$addr" --batch 250 --quiet --acked "$work/acked/tmp" "$f" >"$log" 2>&1 || rc=$?
    tot=$(grep -m1 '^total: ' "$log" || true)
    n=$(sed -nE 's/^total: [0-9]+ articles: ([0-9]+) stored, ([0-9]+) replaced, ([0-9]+) unchanged.*/\1 \2 \3/p' <<<"$tot" | awk '{print $1 + $2 + $3}')
    rej=$(sed -nE 's/.* ([0-9]+) rejected;.*/\1/p' <<<"$tot")
    if [ -n "$tot" ] && { [ "$rc" = 0 ] || [ "${rej:-0}" -gt 0 ]; }; then
      printf '%s\tload\t1\t%s\t%s\t%s\n' "$(date +%s)" "${n:-0}" "${rej:-0}" "$(basename "$f") $tot" >>"$events"
      grep -v '^total: \|^store: ' "$log" >>"$out/rejected.log" || true
      if [ "$i" -ge "$pre_chunks" ]; then mv "$work/acked/tmp" "$work/acked/$(printf '%06d' "$seq")"; fi
    else
      printf '%s\tload\t0\t0\t0\t%s\n' "$(date +%s)" "$(basename "$f") exit $rc: $(tail -3 "$log" | tr '\n\t' '  ')" >>"$events"
    fi
    rm -f "$work/acked/tmp"
    i=$(( (i + 1) % ${#chunks[@]} ))
  done
}

# (b) deletes: one article of the last file loaded (not preloaded), not deleted since.
deleter() {
  declare -A gone
  local last id rc msg
  while [ "$(date +%s)" -lt "$end" ] && [ ! -e "$work/stop" ]; do
    sleep "$SOAK_DELETE_EVERY"
    last=$(ls "$work/acked" | grep -v tmp | tail -1 || true)
    [ -n "$last" ] || continue
    id=$(shuf -n 1 "$work/acked/$last" | sed -nE 's/.*"id": ?"([^"]+)".*/\1/p')
    [ -n "$id" ] || continue
    [ "${gone[$id]:-}" = "$last" ] && continue
    gone[$id]=$last
    rc=0
    msg=$("$ng" delete --addr "$addr" "$id" 2>&1) || rc=$?
    if [ "$rc" = 0 ]; then
      printf '%s\tdelete\t1\t1\t0\t%s\n' "$(date +%s)" "$id" >>"$events"
    else
      printf '%s\tdelete\t0\t0\t0\t%s\n' "$(date +%s)" "$id exit $rc: $(tr '\n\t' '  ' <<<"$msg")" >>"$events"
    fi
  done
}

loader &
pids+=($!)
deleter &
pids+=($!)

# (c) reads, and the figures of each interval.
kinds=(stats:GetStats:5 search:SearchEntities:10 relations:ListRelations:15 between:GetRelationsBetween:10 paths:FindPaths:10)
tsv=$out/soak.tsv
printf 'interval\telapsed_s\treads_per_s\tp50_ms\tp99_ms\tread_errors\tloads\tarticles_loaded\tarticles_loaded_per_s\trejected\tdeletes\twrite_errors\trss_mib\tstore_mib\tload_avg\n' >"$tsv"
start=$(date +%s)
k=0
rss_first=
fail=0
say "soak for ${duration}s, a row every ${interval}s: $tsv"
while [ $(( $(date +%s) + interval / 2 )) -lt "$end" ]; do
  k=$((k + 1))
  t0=$(date +%s)
  gp=()
  files=()
  for spec in "${kinds[@]}"; do
    IFS=: read -r kind method conc <<<"$spec"
    f=$work/ghz/$k-$kind.json
    files+=("$f")
    ghz --insecure --call "newsgraph.v1.NewsGraphService/$method" -B "$work/req/$kind.bin" -c "$conc" \
      -z "${interval}s" --duration-stop wait -O json -o "$f" "$addr" >"$work/ghz/$k-$kind.log" 2>&1 &
    gp+=($!)
  done
  for p in "${gp[@]}"; do wait "$p" || true; done
  t1=$(date +%s)
  kill -0 "$server" 2>/dev/null || { say "the server exited"; fail=1; break; }
  for f in "${files[@]}"; do
    [ -s "$f" ] || { say "ghz wrote no report $f: $(cat "${f%.json}.log")"; fail=1; }
  done
  read -r calls rerr p50 p99 < <("$work/soak" interval "${files[@]}" 2>>"$out/read-errors.log") || { calls=0; rerr=1; p50=0; p99=0; }
  rm -f "${files[@]}"
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
  storemib=$(du -sk "$store" | awk '{printf "%.1f", $1 / 1024}')
  read -r loads loaded rej dels werr < <(awk -F'\t' -v a="$t0" -v b="$t1" '
    $1 >= a && $1 < b { if ($2 == "load") { if ($3) { l++; n += $4; r += $5 } else e++ }
                        else { if ($3) d++; else e++ } }
    END { printf "%d %d %d %d %d\n", l, n, r, d, e }' "$events")
  [ -z "$rss_first" ] && rss_first=$rss
  el=$(( t1 - start ))
  printf '%d\t%d\t%.0f\t%s\t%s\t%d\t%d\t%d\t%.1f\t%d\t%d\t%d\t%s\t%s\t%s\n' "$k" "$el" "$(awk -v a="$calls" -v b="$interval" 'BEGIN { print a / b }')" \
    "$p50" "$p99" "$rerr" "$loads" "$loaded" "$(awk -v a="$loaded" -v b="$((t1 - t0))" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$rej" "$dels" "$werr" "$rss" "$storemib" \
    "$(cut -d' ' -f1 /proc/loadavg)" >>"$tsv"
  say "$(tail -1 "$tsv" | awk -F'\t' '{printf "%ss: %s reads/s p50 %s p99 %s ms, %s read errors; %s loads, %s articles, %s rejected, %s deletes, %s write errors; RSS %s MiB, store %s MiB, load %s", $2, $3, $4, $5, $6, $7, $8, $10, $11, $12, $13, $14, $15}')"
done

# Let the loads and deletes under way finish, then count them all.
touch "$work/stop"
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
cp "$events" "$out/events.tsv"
"$ng" query stats --addr "$addr" >"$out/stats-end.txt" 2>&1 || true
kill -TERM "$server"
wait "$server" || { say "serve exited with status $?"; fail=1; }
server=
t=$(date +%s)
check=0
"$ng" check --data "$store" >"$out/check.txt" 2>&1 || check=$?
say "newsgraph check (${check}, $(( $(date +%s) - t ))s): $(tail -1 "$out/check.txt")"
[ "$check" = 0 ] || fail=1
storemib=$(du -sk "$store" | awk '{printf "%.1f", $1 / 1024}')

# Totals and the verdict.
read -r reads rerrs p99max < <(awk -F'\t' -v i="$interval" 'NR > 1 { n += $3 * i; e += $6; if ($5 > m) m = $5 } END { printf "%d %d %s\n", n, e, m }' "$tsv")
read -r loads loaded rej dels werr < <(awk -F'\t' '
  { if ($2 == "load") { if ($3) { l++; n += $4; r += $5 } else e++ } else { if ($3) d++; else e++ } }
  END { printf "%d %d %d %d %d\n", l, n, r, d, e }' "$events")
rss_last=$(tail -1 "$tsv" | cut -f13)
rows=$(( $(wc -l <"$tsv") - 1 ))
if [ "$werr" -gt 0 ]; then say "load/delete errors:"; awk -F'\t' '$3 == 0' "$events" | head -20; fail=1; fi
if [ "$rerrs" -gt 0 ]; then say "read errors:"; head -20 "$out/read-errors.log"; fail=1; fi
rss_ok=$(awk -v l="${rss_last:-0}" -v f="${rss_first:-0}" -v x="$SOAK_RSS_FACTOR" 'BEGIN { print (l <= x * f) ? 1 : 0 }')
if [ "$rows" -lt 1 ]; then say "no interval completed"; fail=1; fi
if [ "$rss_ok" != 1 ]; then say "RSS grew from $rss_first MiB after the first interval to $rss_last MiB, over ${SOAK_RSS_FACTOR}x"; fail=1; fi

# The table, and the curves.
{
  echo "| min | reads/s | p50 ms | p99 ms | read errors | articles loaded | rejected | deletes | write errors | RSS MiB | store MiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  awk -F'\t' 'NR > 1 { printf "| %.4g | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2 / 60, $3, $4, $5, $6, $8, $10, $11, $12, $13, $14 }' "$tsv"
} >"$out/soak.md"
"$work/soak" plot -in "$tsv" -out "$out/soak.svg" -title "newsgraph soak: ${duration}s, $corpus" || true
if command -v gnuplot >/dev/null; then
  gnuplot -e "set terminal png size 1200,800; set output '$out/soak.png'; set datafile separator '\t'; set key autotitle columnhead;
    set multiplot layout 2,3; set xlabel 's';
    plot '$tsv' using 2:3 with lines; plot '$tsv' using 2:5 with lines; plot '$tsv' using 2:4 with lines;
    plot '$tsv' using 2:13 with lines; plot '$tsv' using 2:14 with lines; plot '$tsv' using 2:9 with lines; unset multiplot" \
    2>/dev/null || true
fi
cat "$out/soak.md"
verdict=ok
[ "$fail" = 0 ] || verdict=FAILED
echo "soak $verdict: ${duration}s, $rows intervals of ${interval}s; $reads reads ($rerrs errors, worst interval p99 $p99max ms); $loads loads of $SOAK_BATCH, $loaded articles acknowledged ($rej rejected by the loader), $dels deletes, $werr load/delete errors; RSS $rss_first -> $rss_last MiB (limit ${SOAK_RSS_FACTOR}x); store $storemib MiB; check: $(tail -1 "$out/check.txt"); figures in $out"
exit "$fail"
