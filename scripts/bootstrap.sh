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
  libgtest-dev googletest libcli11-dev prometheus-cpp-dev libgoogle-perftools-dev
  chromium
)

bash scripts/install_packages.sh bootstrap "${PACKAGES[@]}"

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
