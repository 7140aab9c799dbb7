# shellcheck shell=bash
# The cluster profile of bench/run.sh (`make bench PROFILE=cluster`), sourced by it after the
# build and the shared helpers (start_server, stop_pid, make_accounts, run_step, chat_args,
# SERVE_FLAGS, cleanup); not a script of its own. On a 2-core machine scaling out cannot be
# shown, so it measures what can be (docs/performance.md, "Cluster"):
#
#   1. throughput, the short profile's load, against one node on SQLite and then one node on
#      PostgreSQL (with the Redis bus, as a cluster node runs): persisted msg/s, and CPU per
#      1,000 messages of Parley, PostgreSQL and Redis;
#   2. with a second node on the same PostgreSQL and Redis: the throughput load again with
#      visitors on node A and agents on node B (two message writers instead of one: a figure
#      for docs/performance.md, no budget); then latency at LAT_RATE msg/s with both sides on
#      A (same node), and with visitors on A and agents on B (cross-node);
#   3. failover: visitors on A, agents on B, B killed -9 mid-chat by the load generator; the
#      agents reconnect to A and resume; nothing acknowledged may be lost.
#
# PostgreSQL 15 and Redis come from scripts/local_servers.sh in the work directory (on the
# real disk, PARLEY_DURABLE=1: fsync on, as deployed) and are stopped at exit, failed or not.

T0=$(now)
say "profile cluster: $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), server threads $SERVER_THREADS per node, load generator threads $LOADGEN_THREADS"
say "parley serve flags: ${SERVE_FLAGS[*]:-(none: this parley has no limits to lift)}"

# run_retry NAME CMD... : run_step, again (up to CLUSTER_RETRIES more times) when the load
# generator failed, e.g. the PostgreSQL node's setup stall (docs/performance.md); each retry is
# said, and counted in the summary line.
RETRIES_USED=0
run_retry() {
  local name=$1 rc tries=0; shift
  while :; do
    rc=0
    "$@" || rc=$?
    ((rc == 0)) && return 0
    if ((tries >= ${CLUSTER_RETRIES:-2})); then
      say "$name FAILED (exit $rc)"
      FAILED=1
      return 0
    fi
    tries=$((tries + 1)) RETRIES_USED=$((RETRIES_USED + 1))
    say "$name failed (exit $rc): running it again ($tries of ${CLUSTER_RETRIES:-2})"
  done
}

# start_node NAME LOG ARGS... : a `parley serve` kept running beside others; sets NODE_PID, NODE_PORT
start_node() {
  local log=$1; shift
  start_server "$log" "$PARLEY" serve --listen 127.0.0.1:0 --web "$WORK/web" \
    --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}" "$@"
  NODE_PID=$SERVER_PID NODE_PORT=$PORT
  NODE_PIDS+=("$SERVER_PID")
  SERVER_PID=""
}

throughput_args() {
  # shellcheck disable=SC2046
  echo $(chat_args) --window "$WINDOW" --duration "$TP_DURATION" --warmup "$TP_WARMUP" --messages "$TP_MESSAGES"
}
latency_args() {
  # shellcheck disable=SC2046
  echo $(chat_args) --rate "$LAT_RATE" --duration "$LAT_DURATION" --warmup "$LAT_WARMUP"
}

# --- PostgreSQL 15 and Redis ---
chmod 755 "$WORK"  # initdb and PostgreSQL run as `postgres` when this runs as root
SERVERS_DIR=$WORK/servers
if ! PARLEY_DURABLE=1 bash "$ROOT/scripts/local_servers.sh" start "$SERVERS_DIR" >&2; then
  say "PostgreSQL and Redis did not start (scripts/local_servers.sh)"
  exit 1
fi
DB="postgresql://parley@/postgres?host=$SERVERS_DIR&port=5432"
BUS="unix://$SERVERS_DIR/redis.sock"
PG_PID=$(head -1 "$SERVERS_DIR/pg/postmaster.pid")
REDIS_PID=$(cat "$SERVERS_DIR/redis.pid")
say "PostgreSQL 15 (fsync on, pid $PG_PID) and Redis (pid $REDIS_PID) in $SERVERS_DIR"
make_accounts --db "$DB"
CPU_ALSO=(--cpu-also "postgres=$PG_PID" --cpu-also "redis=$REDIS_PID")

# --- 1. throughput: one node on SQLite, then one on PostgreSQL, the same load ---
make_db "$WORK/sqlite"
start_server "$WORK/sqlite.log" "$PARLEY" serve --listen 127.0.0.1:0 --data "$WORK/sqlite" \
  --web "$WORK/web" --threads "$SERVER_THREADS" "${SERVE_FLAGS[@]}"
say "SQLite node on port $PORT (pid $SERVER_PID)"
# shellcheck disable=SC2046
run_step "sqlite throughput" "$LOADGEN" throughput --port "$PORT" --server-pid "$SERVER_PID" \
  $(throughput_args) --name sqlite-throughput --out "$RESULTS/sqlite-throughput.json"
stop_server
cp "$WORK/sqlite.log" "$RESULTS/sqlite-server.log" 2>/dev/null || true
say "SQLite throughput done ($(since "$T0") s)"

start_node "$WORK/node-a.log" --db "$DB" --bus "$BUS" --node-id a --data "$WORK/node-a"
NODE_A_PID=$NODE_PID NODE_A=$NODE_PORT
say "node a (PostgreSQL, Redis bus) on port $NODE_A (pid $NODE_A_PID)"
# shellcheck disable=SC2046
run_retry "postgres throughput" "$LOADGEN" throughput --port "$NODE_A" --server-pid "$NODE_A_PID" \
  "${CPU_ALSO[@]}" $(throughput_args) --name postgres-throughput --out "$RESULTS/postgres-throughput.json"
say "PostgreSQL throughput done ($(since "$T0") s)"

# --- 2. a second node: throughput over both, then latency on one and across both ---
start_node "$WORK/node-b.log" --db "$DB" --bus "$BUS" --node-id b --data "$WORK/node-b"
NODE_B_PID=$NODE_PID NODE_B=$NODE_PORT
say "node b on port $NODE_B (pid $NODE_B_PID)"
# shellcheck disable=SC2046
run_retry "two-node throughput" "$LOADGEN" throughput --port "$NODE_A" --agent-port "$NODE_B" \
  --server-pid "$NODE_A_PID" "${CPU_ALSO[@]}" --cpu-also "node-b=$NODE_B_PID" $(throughput_args) \
  --name cluster-throughput-two-nodes --out "$RESULTS/cluster-throughput-two-nodes.json"
# The throughput steps leave a few hundred thousand rows for autovacuum and a checkpoint to
# catch up on; as pgbench does before each run, vacuum and checkpoint first so that the
# latency steps measure 2,000 msg/s and not the cleanup of the steps before.
psql -X -q "$DB" -c "VACUUM ANALYZE" -c "CHECKPOINT" >&2 || say "VACUUM / CHECKPOINT before the latency steps failed"
# shellcheck disable=SC2046
run_retry "same-node latency" "$LOADGEN" latency --port "$NODE_A" --server-pid "$NODE_A_PID" \
  "${CPU_ALSO[@]}" --cpu-also "node-b=$NODE_B_PID" $(latency_args) \
  --name cluster-latency-same-node --out "$RESULTS/cluster-latency-same-node.json"
# shellcheck disable=SC2046
run_retry "cross-node latency" "$LOADGEN" latency --port "$NODE_A" --agent-port "$NODE_B" \
  --server-pid "$NODE_A_PID" "${CPU_ALSO[@]}" --cpu-also "node-b=$NODE_B_PID" $(latency_args) \
  --name cluster-latency-cross-node --out "$RESULTS/cluster-latency-cross-node.json"
say "latency done ($(since "$T0") s)"

# --- 3. failover: node b killed -9 mid-chat, its agents back through node a ---
say "failover: the load generator kills node b (pid $NODE_B_PID) with SIGKILL after ${FO_BEFORE} s (bash then reports it Killed)"
run_step "failover" "$LOADGEN" failover --port "$NODE_A" --agent-ports "$NODE_B,$NODE_A" \
  --kill-pid "$NODE_B_PID" --server-pid "$NODE_A_PID" --pairs "$FO_PAIRS" --agents "$AGENTS" \
  --agent-password "$PASSWORD" --rate "$FO_RATE" --before "$FO_BEFORE" --after "$FO_AFTER" \
  --out "$RESULTS/cluster-failover.json"
wait "$NODE_B_PID" 2>/dev/null || true  # reaped: killed by the load generator (or stopped below)
say "failover done ($(since "$T0") s)"

for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done
NODE_PIDS=()
cp "$WORK/node-a.log" "$RESULTS/node-a-server.log" 2>/dev/null || true
cp "$WORK/node-b.log" "$RESULTS/node-b-server.log" 2>/dev/null || true
cp "$SERVERS_DIR/pg.log" "$RESULTS/postgres.log" 2>/dev/null || true
# Errors PostgreSQL logged (a deadlock between two nodes' writers, say) are not in any result.
PG_ERRORS=$(grep -c 'ERROR:' "$SERVERS_DIR/pg.log" 2>/dev/null || true)
PG_DEADLOCKS=$(grep -c 'deadlock detected' "$SERVERS_DIR/pg.log" 2>/dev/null || true)
say "PostgreSQL logged ${PG_ERRORS:-0} errors, ${PG_DEADLOCKS:-0} of them deadlocks (postgres.log beside the results)"

# --- the report ---
"$LOADGEN" report --dir "$RESULTS" --profile cluster --out "$RESULTS/summary.json" \
  | tee "$RESULTS/summary.md"
say "total $(since "$T0") s; $RETRIES_USED step(s) run again; results in $RESULTS"
((FAILED == 0)) || exit 1
grep -q '"fail": 0' "$RESULTS/summary.json" && grep -q '"not_measured": 0' "$RESULTS/summary.json" || exit 3
exit 0
