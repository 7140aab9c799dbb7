#!/usr/bin/env bash
# Where the server's time goes under the throughput scenario: starts `parley serve`, runs
# parley-loadgen throughput against it, and samples the server with perf (cpu-clock: this
# VM has no hardware counters) or, when perf cannot sample, callgrind on a shorter run.
#
#   bench/profile.sh [SECONDS]        (default 15; writes bench/results/profile/)
# Knobs: PAIRS (64), AGENTS (4), WINDOW (8), SERVER_THREADS, CALLGRAPH=dwarf|fp|none (dwarf),
#        SKIP_BUILD=1 (use the binaries already in build/)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TO_SAMPLE=${1:-15}
PAIRS=${PAIRS:-64} AGENTS=${AGENTS:-4} WINDOW=${WINDOW:-8}
NPROC=$(nproc)
SERVER_THREADS=${SERVER_THREADS:-$((NPROC * 2 > 4 ? NPROC * 2 : 4))}
CALLGRAPH=${CALLGRAPH:-dwarf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
OUT=$ROOT/bench/results/profile
PARLEY=$BUILD_DIR/parley LOADGEN=$BUILD_DIR/bench/parley-loadgen

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[[ ${SKIP_BUILD:-0} == 1 ]] || cmake --build "$BUILD_DIR" -j "$NPROC" --target parley parley-loadgen >/dev/null
mkdir -p "$OUT"
WORK=$(mktemp -d /var/tmp/parley-profile.XXXXXX)
SERVER_PID=""
cleanup() {
  [[ -n $SERVER_PID ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$PARLEY" migrate --data "$WORK/db" >/dev/null
for ((j = 1; j <= AGENTS; j++)); do
  "$PARLEY" admin create-agent --data "$WORK/db" --name "Bench Agent $j" \
    --email "bench-agent-$j@bench.local" --password bench-password --max-chats 100000 >/dev/null
done
mkdir -p "$WORK/web"

use_perf=0
if command -v perf >/dev/null && perf record -e cpu-clock -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
  use_perf=1
fi

if ((use_perf)); then
  "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/db" --web "$WORK/web" --threads "$SERVER_THREADS" \
    >"$WORK/server.log" 2>&1 &
else
  SECONDS_TO_SAMPLE=$((SECONDS_TO_SAMPLE / 3 + 1))
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" "$PARLEY" serve \
    --listen 127.0.0.1:0 --data "$WORK/db" --web "$WORK/web" --threads "$SERVER_THREADS" \
    >"$WORK/server.log" 2>&1 &
fi
SERVER_PID=$!
for ((i = 0; i < 600; i++)); do
  PORT=$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$WORK/server.log" 2>/dev/null | grep -oE '[0-9]+$') && break
  sleep 0.1
done
[[ -n ${PORT:-} ]] || { echo "profile: server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

"$LOADGEN" throughput --port "$PORT" --server-pid "$SERVER_PID" --pairs "$PAIRS" --agents "$AGENTS" \
  --agent-password bench-password --window "$WINDOW" --warmup 2 --duration "$((SECONDS_TO_SAMPLE + 2))" \
  --out "$OUT/throughput-under-profile.json" &
LOADGEN_PID=$!
sleep 3  # setup and warm-up
if ((use_perf)); then
  graph=()
  case $CALLGRAPH in
    dwarf) graph=(--call-graph dwarf,16384 -F 299) ;;
    fp) graph=(-g -F 999) ;;
    none) graph=(-F 999) ;;
  esac
  perf record -e cpu-clock "${graph[@]}" -p "$SERVER_PID" -o "$OUT/perf.data" -- sleep "$SECONDS_TO_SAMPLE" \
    >/dev/null 2>&1
fi
wait "$LOADGEN_PID" || true

if ((use_perf)); then
  # Self time by symbol, then by shared object, then inclusive time (children) by symbol.
  perf report -i "$OUT/perf.data" --no-children --sort symbol --stdio --percent-limit 0.7 2>/dev/null \
    | grep -v '^$' | grep -v '^#' | grep -E '^ +[0-9]' | head -60 >"$OUT/self-by-symbol.txt"
  perf report -i "$OUT/perf.data" --no-children --sort dso --stdio 2>/dev/null \
    | grep -E '^ +[0-9]' | head -20 >"$OUT/self-by-dso.txt"
  perf report -i "$OUT/perf.data" --children --sort symbol --stdio --percent-limit 3 -g none 2>/dev/null \
    | grep -E '^ +[0-9]' | head -80 >"$OUT/inclusive-by-symbol.txt"
  echo "== self time by shared object"; cat "$OUT/self-by-dso.txt"
  echo "== self time by symbol (top)"; head -40 "$OUT/self-by-symbol.txt"
  echo "== inclusive time by symbol (top)"; head -60 "$OUT/inclusive-by-symbol.txt"
else
  kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  callgrind_annotate "$OUT/callgrind.out" 2>/dev/null | head -60 | tee "$OUT/callgrind-top.txt"
fi
echo "profile: $OUT"
