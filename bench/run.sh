#!/usr/bin/env bash
# Parley's bench (issue 3). Builds what it needs, runs every scenario against a real
# `parley serve`, then the same load against the Node baseline (bench/baseline), and prints
# the budget table with the Parley/baseline ratios. PROFILE=cluster measures the cluster
# instead (PostgreSQL 15 + Redis from scripts/local_servers.sh, fsync on): one node on
# PostgreSQL against one on SQLite, cross-node against same-node delivery, a node killed -9.
#
#   bench/run.sh [--profile short|full|cluster]     make bench [PROFILE=full|cluster]
#   bench/run.sh --smoke [--parley BIN --loadgen BIN --seed BIN]    (CTest: bench_smoke)
#
# Results: bench/results/<profile>/<name>.json, summary.json and summary.md beside them.
# Exit status: 0 when every budget passed; 3 when the runs completed but a budget failed
# (or could not be measured); 1 when a run itself failed. The smoke profile checks that
# every message was delivered and every result file written, never a budget.
# Knobs (environment): SERVER_THREADS, LOADGEN_THREADS, BUILD_DIR, RESULTS_DIR, KEEP_WORK=1,
# SKIP_BUILD=1 (use the binaries already built), BENCH_TMP (where the databases go; a real disk),
# BENCH_SERVE_FLAGS (serve flags for Parley instead of the detected ones that lift its limits),
# CLUSTER_RETRIES (cluster: runs again a throughput or latency step whose setup failed; 2),
# LONG_CHAT_WINDOW (the long chat's unacknowledged sends per side while filling; 32).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROFILE=${PROFILE:-short}
PARLEY="" LOADGEN="" SEED=""
while (($#)); do
  case $1 in
    --profile) PROFILE=$2; shift 2 ;;
    --smoke) PROFILE=smoke; shift ;;
    --parley) PARLEY=$2; shift 2 ;;
    --loadgen) LOADGEN=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "bench: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- the profile ---
NPROC=$(nproc)
SERVER_THREADS=${SERVER_THREADS:-$NPROC}  # parley serve's own default: one per core
LOADGEN_THREADS=${LOADGEN_THREADS:-1}
AGENTS=4
case $PROFILE in
  smoke)
    IDLE_CONNS=20 PAIRS=4 AGENTS=2 WINDOW=4 TP_DURATION=10 TP_MESSAGES=400 TP_WARMUP=0
    LAT_RATE=200 LAT_DURATION=1 LAT_WARMUP=0 SEED_CONV=1000 SEED_MSGS=10000 INBOX_REQ=20 SOAK_S=0
    STORM_RATE=100 STORM_DURATION=1 STORM_WARMUP=0 STORM_CLIENTS=4 STORM_ACCOUNTS=2
    LONG_CHAT_MESSAGES=3000 ;;
  short)
    IDLE_CONNS=5000 PAIRS=64 WINDOW=8 TP_DURATION=10 TP_MESSAGES=0 TP_WARMUP=2
    LAT_RATE=5000 LAT_DURATION=10 LAT_WARMUP=2 SEED_CONV=100000 SEED_MSGS=1000000 INBOX_REQ=200 SOAK_S=0
    STORM_RATE=1000 STORM_DURATION=10 STORM_WARMUP=2 STORM_CLIENTS=50 STORM_ACCOUNTS=10
    LONG_CHAT_MESSAGES=100000 ;;
  full)
    IDLE_CONNS=19000 PAIRS=256 WINDOW=8 TP_DURATION=30 TP_MESSAGES=0 TP_WARMUP=5
    LAT_RATE=5000 LAT_DURATION=60 LAT_WARMUP=5 SEED_CONV=100000 SEED_MSGS=1000000 INBOX_REQ=1000 SOAK_S=600
    STORM_RATE=1000 STORM_DURATION=30 STORM_WARMUP=5 STORM_CLIENTS=50 STORM_ACCOUNTS=10
    LONG_CHAT_MESSAGES=100000 ;;
  cluster)
    # Throughput as the short profile's; latency at 2,000 msg/s; the failover at a modest rate.
    PAIRS=64 WINDOW=8 TP_DURATION=10 TP_MESSAGES=0 TP_WARMUP=2
    LAT_RATE=2000 LAT_DURATION=10 LAT_WARMUP=2
    FO_PAIRS=32 FO_RATE=320 FO_BEFORE=3 FO_AFTER=5 ;;
  *) echo "run.sh: PROFILE must be short, full, cluster or smoke" >&2; exit 2 ;;
esac
PASSWORD=bench-password

# One descriptor per connection: take all the kernel allows (the hard limit is 20,000 here).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- build ---
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
if [[ ${SKIP_BUILD:-0} != 1 ]] && [[ -z $PARLEY || -z $LOADGEN || -z $SEED ]]; then
  if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
    (cd "$ROOT" && cmake --preset default >/dev/null)
  fi
  say "building parley, parley-loadgen, parley-seed"
  cmake --build "$BUILD_DIR" -j "$NPROC" --target parley parley-loadgen parley-seed >/dev/null
fi
PARLEY=${PARLEY:-$BUILD_DIR/parley}
LOADGEN=${LOADGEN:-$BUILD_DIR/bench/parley-loadgen}
SEED=${SEED:-$BUILD_DIR/bench/parley-seed}
for bin in "$PARLEY" "$LOADGEN" "$SEED"; do
  [[ -x $bin ]] || { echo "run.sh: $bin is not built" >&2; exit 1; }
done

# On the real disk (fsync must cost what it costs in production), not a tmpfs.
WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/parley-bench.XXXXXX")
mkdir -p "$WORK/web"
if [[ $PROFILE == smoke ]]; then
  RESULTS=${RESULTS_DIR:-$WORK/results}
else
  RESULTS=${RESULTS_DIR:-$ROOT/bench/results/$PROFILE}
fi
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.md "$RESULTS"/*.log

SERVER_PID=""
NODE_PIDS=()     # cluster: the `parley serve` nodes
SERVERS_DIR=""   # cluster: PostgreSQL and Redis (scripts/local_servers.sh), stopped at exit
cleanup() {
  local pid
  for pid in $SERVER_PID "${NODE_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in $SERVER_PID "${NODE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $SERVERS_DIR ]]; then
    bash "$ROOT/scripts/local_servers.sh" stop "$SERVERS_DIR" >/dev/null 2>&1 \
      || say "could not stop PostgreSQL/Redis in $SERVERS_DIR"
  fi
  if [[ ${KEEP_WORK:-0} == 1 ]]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT  # so that an interrupted run cleans up too (the EXIT trap)
trap 'exit 143' TERM

FAILED=0
run_step() {  # run_step NAME CMD... : runs a scenario, remembers a failure, goes on
  local name=$1 rc=0; shift
  "$@" || rc=$?
  if ((rc != 0)); then
    say "$name FAILED (exit $rc)"
    FAILED=1
  fi
}

# start_server LOG CMD... : starts a server, waits for its "listening on http://HOST:PORT" line
start_server() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    if PORT=$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" 2>/dev/null | grep -oE '[0-9]+$'); then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      say "server exited at start:"; cat "$log" >&2; SERVER_PID=""; return 1
    fi
    sleep 0.1
  done
  say "server did not say it was listening in 30 s"; return 1
}

stop_pid() {  # stop_pid PID : SIGTERM, up to 10 s, then SIGKILL
  kill -TERM "$1" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

# The password for `parley admin create-agent`: from a file where the CLI takes one (a
# password on the command line is deprecated), else on the command line.
printf '%s\n' "$PASSWORD" >"$WORK/password"
# (The help is read whole first: grep -q ending a pipe early would fail it under pipefail.)
CREATE_HELP=$("$PARLEY" admin create-agent --help 2>&1 || true)
if grep -q -- '--password-file' <<<"$CREATE_HELP"; then
  PASSWORD_ARGS=(--password-file "$WORK/password")
else
  PASSWORD_ARGS=(--password "$PASSWORD")
fi

make_accounts() {  # make_accounts --data DIR | --db URI : schema + M agents + an admin, through the CLI
  local j
  "$PARLEY" migrate "$@" >/dev/null
  for ((j = 1; j <= AGENTS; j++)); do
    "$PARLEY" admin create-agent "$@" --name "Bench Agent $j" \
      --email "bench-agent-$j@bench.local" "${PASSWORD_ARGS[@]}" --max-chats 100000 >/dev/null
  done
  "$PARLEY" admin create-agent "$@" --name "Bench Admin" --email bench-admin@bench.local \
    "${PASSWORD_ARGS[@]}" --role admin --max-chats 100000 >/dev/null
}
make_db() { make_accounts --data "$1"; }  # make_db DIR : a SQLite database

# The login storm's accounts, bench-login-1..K: Calendar Agents, so no chat is routed to them.
make_storm_accounts() {  # make_storm_accounts DIR
  local dir=$1 k
  for ((k = 1; k <= STORM_ACCOUNTS; k++)); do
    "$PARLEY" admin create-agent --data "$dir" --name "Bench Login $k" \
      --email "bench-login-$k@bench.local" "${PASSWORD_ARGS[@]}" --calendar-only >/dev/null
  done
}

# Serve flags that lift the server's abuse limits (issue 11) when this parley has them: the
# bench measures capacity, and a limiter would cap each socket at a few messages/s, the idle
# scenario at a few hundred sockets per source address, and the login storm at a few logins
# per address (a throttled storm is reported as n/a). Flags the server does not list in
# `parley serve --help` are left out, so older builds run unchanged.
# BENCH_SERVE_FLAGS (a string of flags) replaces the detection.
bench_serve_flags() {
  if [[ -n ${BENCH_SERVE_FLAGS+x} ]]; then
    echo "$BENCH_SERVE_FLAGS"
    return
  fi
  local help out=()
  help=$("$PARLEY" serve --help 2>&1 || true)
  has() { grep -qE -- "(^|[[:space:],])$1([[:space:]=,]|\$)" <<<"$help"; }
  has --rate-limit && out+=(--rate-limit all=off)  # NAME=COUNT/SECONDS|off; all=off: every limit
  has --max-connections-per-ip && out+=(--max-connections-per-ip 0)  # 0: no cap
  echo "${out[*]}"
}
read -r -a SERVE_FLAGS <<<"$(bench_serve_flags)"

chat_args() {  # the same load for Parley and the baseline
  echo --pairs "$PAIRS" --agents "$AGENTS" --agent-password "$PASSWORD" --threads "$LOADGEN_THREADS"
}

# run_load TARGET(parley|baseline) EXTRA... : idle, throughput, latency against $PORT/$SERVER_PID
run_load() {
  local target=$1; shift
  local flags=("$@")
  run_step "$target idle" "$LOADGEN" idle --port "$PORT" --server-pid "$SERVER_PID" "${flags[@]}" \
    --connections "$IDLE_CONNS" --settle 2 --out "$RESULTS/$target-idle.json"
  local expect=()
  [[ $PROFILE == smoke ]] && expect=(--expect-all-delivered)
  # shellcheck disable=SC2046
  run_step "$target throughput" "$LOADGEN" throughput --port "$PORT" --server-pid "$SERVER_PID" \
    "${flags[@]}" $(chat_args) --window "$WINDOW" --duration "$TP_DURATION" --warmup "$TP_WARMUP" \
    --messages "$TP_MESSAGES" "${expect[@]}" --out "$RESULTS/$target-throughput.json"
  # shellcheck disable=SC2046
  run_step "$target latency" "$LOADGEN" latency --port "$PORT" --server-pid "$SERVER_PID" \
    "${flags[@]}" $(chat_args) --rate "$LAT_RATE" --duration "$LAT_DURATION" --warmup "$LAT_WARMUP" \
    "${expect[@]}" --out "$RESULTS/$target-latency.json"
}

if [[ $PROFILE == cluster ]]; then
  # shellcheck source=bench/run_cluster.sh
  source "$ROOT/bench/run_cluster.sh"  # runs the cluster profile and exits
fi

T0=$(now)
say "profile $PROFILE: $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), server threads $SERVER_THREADS, load generator threads $LOADGEN_THREADS"
say "parley serve flags: ${SERVE_FLAGS[*]:-(none: this parley has no limits to lift)}"

# --- 1. Parley: idle connections, throughput, latency (and the soak) ---
make_db "$WORK/parley"
start_server "$WORK/parley.log" "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/parley" \
  --web "$WORK/web" --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}"
say "parley on port $PORT (pid $SERVER_PID)"
run_load parley
if ((SOAK_S > 0)); then
  # shellcheck disable=SC2046
  run_step "parley soak" "$LOADGEN" latency --port "$PORT" --server-pid "$SERVER_PID" $(chat_args) \
    --rate "$LAT_RATE" --duration "$SOAK_S" --warmup 5 --rss-interval 10 --name parley-soak \
    --out "$RESULTS/parley-soak.json"
fi
stop_server
cp "$WORK/parley.log" "$RESULTS/parley-server.log" 2>/dev/null || true
say "parley done ($(since "$T0") s)"

# --- 1b. Chat with and without a login storm (a fresh database with the storm's accounts) ---
make_db "$WORK/storm"
make_storm_accounts "$WORK/storm"
start_server "$WORK/storm.log" "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/storm" \
  --web "$WORK/web" --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}"
storm_expect=()
[[ $PROFILE == smoke ]] && storm_expect=(--expect-all-delivered)
# shellcheck disable=SC2046
run_step "parley login-storm" "$LOADGEN" login-storm --port "$PORT" --server-pid "$SERVER_PID" \
  $(chat_args) --rate "$STORM_RATE" --duration "$STORM_DURATION" --warmup "$STORM_WARMUP" \
  --storm-clients "$STORM_CLIENTS" --storm-accounts "$STORM_ACCOUNTS" \
  --storm-email 'bench-login-%d@bench.local' --storm-password "$PASSWORD" \
  "${storm_expect[@]}" --out "$RESULTS/parley-login-storm.json"
stop_server
cp "$WORK/storm.log" "$RESULTS/parley-login-storm-server.log" 2>/dev/null || true
say "login storm done ($(since "$T0") s)"

# --- 1c. One long conversation replayed (issue 15): a fresh database, one agent online ---
# A visitor and an agent fill one conversation through the server (each with a window of
# LONG_CHAT_WINDOW unacknowledged sends), then the agent reconnects with after_seq 0: time to
# the full replay (every seq once, in order, or the step fails) and the server's RSS during it.
make_db "$WORK/longchat"
start_server "$WORK/longchat.log" "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/longchat" \
  --web "$WORK/web" --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}"
run_step "parley long-chat" "$LOADGEN" long-chat --port "$PORT" --server-pid "$SERVER_PID" \
  --agent-email bench-agent-1@bench.local --agent-password "$PASSWORD" \
  --messages "$LONG_CHAT_MESSAGES" --window "${LONG_CHAT_WINDOW:-32}" --out "$RESULTS/parley-long-chat.json"
stop_server
cp "$WORK/longchat.log" "$RESULTS/parley-long-chat-server.log" 2>/dev/null || true
say "long chat done ($(since "$T0") s)"

# --- 2. Inbox on a seeded database ---
make_db "$WORK/inbox"
run_step "seed" "$SEED" --db "$WORK/inbox/parley.db" --conversations "$SEED_CONV" \
  --messages "$SEED_MSGS" --active-agents "$((AGENTS < 3 ? AGENTS : 3))" --out "$RESULTS/seed.json"
# Builds the message search index over the seeded messages (what the first start after an
# upgrade of a database this size does once).
T_INDEX=$(now)
run_step "search index" "$PARLEY" migrate --data "$WORK/inbox" >/dev/null
say "search index over the seeded messages built in $(since "$T_INDEX") s"
start_server "$WORK/inbox.log" "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/inbox" \
  --web "$WORK/web" --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}"
run_step "parley inbox" "$LOADGEN" inbox --port "$PORT" --server-pid "$SERVER_PID" \
  --agent-email bench-agent-1@bench.local --admin-email bench-admin@bench.local \
  --password "$PASSWORD" --requests "$INBOX_REQ" --out "$RESULTS/parley-inbox.json"
stop_server
say "inbox done ($(since "$T0") s)"

# --- 3. The Node baseline, same load ---
BASELINE_DIR=$ROOT/bench/baseline
baseline_ready() {
  local stamp=$BASELINE_DIR/node_modules/.parley-lock-stamp
  if [[ -f $stamp ]] && cmp -s "$BASELINE_DIR/package-lock.json" "$stamp"; then return 0; fi
  command -v npm >/dev/null || return 1
  say "npm ci (bench/baseline)"
  (cd "$BASELINE_DIR" && timeout 120 npm ci --silent --no-audit --no-fund </dev/null >/dev/null 2>&1) || return 1
  cp "$BASELINE_DIR/package-lock.json" "$stamp"
}
if command -v node >/dev/null && baseline_ready; then
  start_server "$WORK/baseline.log" node "$BASELINE_DIR/server.js" --port 0
  say "baseline on port $PORT (pid $SERVER_PID)"
  run_load baseline --baseline
  stop_server
  say "baseline done ($(since "$T0") s)"
elif [[ $PROFILE == smoke ]]; then
  say "baseline skipped: node or its packages (npm ci) are not available"
else
  say "baseline could not start (node, or npm ci in bench/baseline, failed)"
  FAILED=1
fi

# --- 4. The report ---
"$LOADGEN" report --dir "$RESULTS" --profile "$PROFILE" --out "$RESULTS/summary.json" \
  | tee "$RESULTS/summary.md"
say "total $(since "$T0") s; results in $RESULTS"

if [[ $PROFILE == smoke ]]; then
  for name in parley-idle parley-throughput parley-latency parley-login-storm parley-long-chat parley-inbox seed summary; do
    [[ -s $RESULTS/$name.json ]] || { say "smoke: $name.json was not written"; FAILED=1; }
  done
  ((FAILED == 0)) && say "smoke: every message delivered, every result written"
  exit $((FAILED ? 1 : 0))
fi
((FAILED == 0)) || exit 1
grep -q '"fail": 0' "$RESULTS/summary.json" && grep -q '"not_measured": 0' "$RESULTS/summary.json" || exit 3
