#!/usr/bin/env bash
# Installs what Parley needs on Debian 12, and only what is missing: Debian packages
# (as root, or through sudo) and the front end's npm packages from its lockfile.
# Idempotent and silent when nothing is missing; never reads standard input.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev libpq-dev postgresql-15 libhiredis-dev redis-server haproxy libsodium-dev libhowardhinnant-date-dev libical-dev libssl-dev ca-certificates tzdata
  libgtest-dev googletest libcli11-dev
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq </dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

if ! command -v node >/dev/null; then
  echo "bootstrap: Node.js 20 is required (it comes preinstalled on the supported machines)" >&2
  exit 1
fi

# npm ci only when the lockfile changed since the last install.
stamp=web/node_modules/.parley-lock-stamp
if [[ ! -f $stamp ]] || ! cmp -s web/package-lock.json "$stamp"; then
  echo "bootstrap: npm ci (web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  cp web/package-lock.json "$stamp"
fi
