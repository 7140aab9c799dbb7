#!/usr/bin/env bash
# deploy/parley.service, checked three ways (CTest: deploy.systemd_unit):
#  1. `systemd-analyze verify`: the unit parses, every key is known, the command exists. It
#     exits 0 even for an unknown key, so any output at all fails the check.
#  2. The settings the deployment relies on are there (docs/operations.md, "systemd").
#  3. ExecStart's flags are ones this parley accepts: the server is started with them (its
#     paths swapped for temporary ones) and must print its "listening" line.
#   tests/deploy/verify_systemd_unit.sh SOURCE_DIR PARLEY_BINARY
set -euo pipefail
src=$1
bin=$2
unit="$src/deploy/parley.service"
tmp=$(mktemp -d)
server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

for setting in User=parley StateDirectory=parley 'LimitNOFILE=[0-9]' ProtectSystem=strict \
  ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes Restart=on-failure; do
  grep -Eq "^$setting" "$unit" || { echo "FAIL: $unit lacks $setting"; exit 1; }
done

# The unit as it would be installed, with this build's binary in place of /usr/local/bin/parley.
mkdir -p "$tmp/unit"
sed "s#/usr/local/bin/parley#$bin#" "$unit" > "$tmp/unit/parley.service"
if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify "$tmp/unit/parley.service" 2>&1) || { echo "FAIL: systemd-analyze verify:"; echo "$out"; exit 1; }
  if [[ -n $out ]]; then echo "FAIL: systemd-analyze verify complained:"; echo "$out"; exit 1; fi
  echo "ok: systemd-analyze verify (systemd $(systemd-analyze --version | head -1 | awk '{print $2}'))"
  # The exposure score of the hardening (0 = fully locked down, 10 = none); 1.5 when written.
  score=$(systemd-analyze security --offline=yes "$tmp/unit/parley.service" 2>/dev/null |
          sed -n 's/.*Overall exposure level for parley.service: \([0-9.]*\).*/\1/p')
  if [[ -n $score ]]; then
    awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || { echo "FAIL: exposure $score > 2.5"; exit 1; }
    echo "ok: systemd-analyze security exposure $score"
  fi
else
  echo "NOTE: systemd-analyze is not installed here; checked the settings and the flags only"
fi

# ExecStart, its continuation lines joined, with the machine's paths swapped for temporary ones.
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$unit" | sed 's/\\$//' | tr '\n' ' ' | sed 's/^ExecStart=//')
read -r -a words <<< "$cmd"
args=()
for ((i = 1; i < ${#words[@]}; i++)); do
  w=${words[i]}
  case "$w" in
    /var/lib/parley) w="$tmp/data" ;;
    127.0.0.1:8080) w=127.0.0.1:0 ;;
    /usr/local/share/parley/web) w="$tmp/web" ;;
  esac
  args+=("$w")
done
"$bin" "${args[@]}" > "$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  if grep -q "Parley listening on" "$tmp/serve.log"; then
    echo "ok: parley ${args[*]} starts"
    exit 0
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
echo "FAIL: parley did not start with the unit's flags:"
cat "$tmp/serve.log"
exit 1
