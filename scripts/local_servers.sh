#!/usr/bin/env bash
# Starts and stops a PostgreSQL and a Redis server of Parley's own in a directory: Debian's
# PostgreSQL 15 and Redis 7, unix sockets only, no system service. As root, initdb and
# PostgreSQL run as the `postgres` user (initdb refuses root). Used by the tests (CTest fixture
# "test_databases", see tests/CMakeLists.txt) and by `make cluster` (scripts/cluster.sh).
#
# By default the servers are for throw-away data (tests): PostgreSQL without fsync, Redis
# without persistence. PARLEY_DURABLE=1 keeps PostgreSQL's fsync on.
#
#   local_servers.sh start DIR   # DIR/pg.conninfo: PostgreSQL; DIR/redis.sock: Redis
#   local_servers.sh stop DIR
#   local_servers.sh pg-stop DIR | pg-start DIR   # PostgreSQL alone (outage tests)
set -euo pipefail
action=${1:?start or stop}
dir=${2:?directory}
bin=/usr/lib/postgresql/15/bin
port=5432

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [[ ${PARLEY_DURABLE:-0} == 1 ]]; then speed=""; fi
  as_owner "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -o \
    "-k $dir -p $port -c listen_addresses='' $speed -c max_connections=300" \
    start >/dev/null || { cat "$dir/pg.log" >&2; exit 1; }
}

case $action in
  start)
    if [[ ! -x $bin/initdb ]]; then
      echo "local_servers: PostgreSQL 15 is not installed (make test installs it: scripts/bootstrap.sh)" >&2
      exit 1
    fi
    # A server left over from an interrupted run is stopped first.
    if [[ -f $dir/pg/postmaster.pid ]]; then as_owner "$bin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true; fi
    if [[ -f $dir/redis.pid ]]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/pg" -A trust -U parley -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    start_postgres
    echo "host=$dir port=$port user=parley dbname=postgres" >"$dir/pg.conninfo"
    if ! command -v redis-server >/dev/null; then
      echo "local_servers: redis-server is not installed (make test installs it: scripts/bootstrap.sh)" >&2
      exit 1
    fi
    redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 777 --save '' \
      --appendonly no --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 50); do [[ -S $dir/redis.sock ]] && break; sleep 0.1; done
    [[ -S $dir/redis.sock ]] || { cat "$dir/redis.log" >&2; exit 1; }
    ;;
  stop)
    if [[ -f $dir/pg/postmaster.pid ]]; then as_owner "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null; fi
    if [[ -f $dir/redis.pid ]]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
    rm -rf "$dir"
    ;;
  pg-stop)
    # fast: clients are cut off at once, and what was committed stays (fsync is off here).
    as_owner "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null
    ;;
  pg-start)
    start_postgres
    ;;
  *)
    echo "usage: $0 start|stop|pg-stop|pg-start DIR" >&2
    exit 2
    ;;
esac
