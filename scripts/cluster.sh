#!/usr/bin/env bash
# `make cluster`: Parley as a cluster on this machine, to try it out. PostgreSQL 15 and Redis 7
# from Debian in a temporary directory (scripts/local_servers.sh: unix sockets, no system
# service), two `parley serve` nodes on PostgreSQL and the Redis bus, and HAProxy on LISTEN
# (default 127.0.0.1:8080) spreading HTTP and WebSocket traffic over both, with no sticky
# sessions and /healthz as the health check. The demo is seeded through node 1. Prints the links
# and stops everything it started on Ctrl-C.
#
#   scripts/cluster.sh [LISTEN]      (expects build/parley and web/dist: make cluster builds them)
set -euo pipefail
cd "$(dirname "$0")/.."

listen=${1:-127.0.0.1:8080}
host=${listen%:*}
parley=build/parley
command -v haproxy >/dev/null || { echo "cluster: haproxy is not installed (scripts/bootstrap.sh)" >&2; exit 1; }

dir=$(mktemp -d /tmp/parley-cluster-XXXXXX)
chmod 755 "$dir"
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "cluster: stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash scripts/local_servers.sh stop "$dir/servers" || true
  rm -rf "$dir"
}
trap stop_all INT TERM EXIT

PARLEY_DURABLE=1 bash scripts/local_servers.sh start "$dir/servers"
db="postgresql://parley@/postgres?host=$dir/servers&port=5432"
bus="unix://$dir/servers/redis.sock"
"$parley" migrate --db "$db" >/dev/null

# Two nodes on free loopback ports; node 1 seeds the demo and prints its accounts.
ports=()
for n in 1 2; do
  mkdir -p "$dir/node$n"
  demo=()
  if [[ $n == 1 ]]; then demo=(--demo); fi
  "$parley" serve --listen 127.0.0.1:0 --db "$db" --bus "$bus" --node-id "node$n" \
    --data "$dir/node$n" --web web/dist --trusted-proxy 127.0.0.1 "${demo[@]}" \
    >"$dir/node$n.out" 2>"$dir/node$n.log" &
  pids+=($!)
  for _ in $(seq 100); do
    if port=$(grep -oP 'Parley listening on http://127\.0\.0\.1:\K[0-9]+' "$dir/node$n.out"); then break; fi
    sleep 0.1
  done
  [[ -n ${port:-} ]] || { cat "$dir/node$n.log" >&2; exit 1; }
  ports+=("$port")
done

cat >"$dir/haproxy.cfg" <<CFG
global
  # This machine caps a process at 20,000 open files; each proxied connection takes two.
  maxconn 9000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  # WebSockets: an open socket is a tunnel once upgraded.
  timeout tunnel 1h
  option forwardfor
frontend parley
  bind $listen
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  server node1 127.0.0.1:${ports[0]} check inter 2s
  server node2 127.0.0.1:${ports[1]} check inter 2s
CFG
haproxy -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
pids+=($!)
sleep 0.5
kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/haproxy.log" >&2; exit 1; }

echo
echo "  Parley cluster: two nodes (127.0.0.1:${ports[0]}, 127.0.0.1:${ports[1]}) on PostgreSQL and Redis in $dir,"
echo "  behind HAProxy on http://$listen"
echo
echo "  Agent Inbox:  http://$listen/inbox/"
echo "  Demo website: http://$listen/demo"
echo
grep -E '^  (admin|agent) ' "$dir/node1.out" || true
echo
echo "  Logs: $dir/node1.log, $dir/node2.log, $dir/haproxy.log. Ctrl-C stops everything."
wait "${pids[@]}"
