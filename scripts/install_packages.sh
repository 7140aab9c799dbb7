#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet (as root, or
# through sudo -n); silent when none is missing. Never reads standard input.
#   scripts/install_packages.sh LABEL PACKAGE...
set -euo pipefail
label=$1
shift
missing=()
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "$label: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  # One install at a time: CI builds the next step (its packages too) while a test fixture
  # may be installing its own, and apt-get fails at once on a lock another apt-get holds.
  # The lock file is ours; DPkg::Lock::Timeout also waits out an apt run of the machine's.
  # (Opened for reading: a lock file another user created is still usable.)
  lock=/tmp/parley-install-packages.lock
  : >>"$lock" 2>/dev/null || true
  exec 9<"$lock"
  flock -w 1800 9
  apt_get() { $SUDO apt-get -o DPkg::Lock::Timeout=600 "$@" </dev/null; }
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
