#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets of fuzz/ (clang-15, ASan + UBSan) in build-fuzz and
# runs each for FUZZ_SECONDS (default 60; FUZZ_PARALLEL of them at once, default one per core)
# from its committed seed corpus (fuzz/corpus/<target>)
# plus the inputs found by earlier runs (build-fuzz/corpus/<target>). A crash, a leak, a UBSan
# report or an input taking longer than 25 s is kept in fuzz/crashes/ and fails the run, after
# every target has had its turn. Installs clang-15 and libfuzzer-15-dev when missing (as root,
# or through sudo -n, like scripts/bootstrap.sh). Never reads standard input.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-$(nproc)}
TARGETS=(${FUZZ_TARGETS:-fuzz_ws_frame fuzz_json_requests fuzz_csv_import fuzz_ics_import fuzz_http_target fuzz_bus_event})

bash scripts/install_packages.sh fuzz clang-15 libfuzzer-15-dev

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$JOBS" --target "${TARGETS[@]}"
# FUZZ_BUILD_ONLY=1: build the targets and stop (CI builds them while other tests run).
if [[ ${FUZZ_BUILD_ONLY:-0} == 1 ]]; then exit 0; fi

mkdir -p fuzz/crashes
# Symbolized stacks in crash reports, with whichever llvm-symbolizer the machine has.
if [[ -z ${ASAN_SYMBOLIZER_PATH:-} ]]; then
  for s in /usr/bin/llvm-symbolizer-15 /usr/lib/llvm-15/bin/llvm-symbolizer /usr/bin/llvm-symbolizer; do
    if [[ -x $s ]]; then export ASAN_SYMBOLIZER_PATH=$s; break; fi
  done
fi
# One target: runs it, writes its verdict line into build-fuzz/<target>.result and its
# status into build-fuzz/<target>.status.
fuzz_one() {
  local t=$1 work=build-fuzz/corpus/$1 log=build-fuzz/$1.log start status runs cov
  mkdir -p "$work"
  start=$(date +%s)
  # -rss_limit_mb: the default 2 GB. -timeout: one input may take 25 s of wall time at most (a
  # hang); the inputs take milliseconds, but a loaded machine stretches wall time tenfold.
  # `time` (user + system seconds, into build-fuzz/<target>.time) measures the CPU fuzzed.
  if { TIMEFORMAT='%U %S'; time ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     "build-fuzz/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=25 -report_slow_units=25 -rss_limit_mb=2048 \
       -artifact_prefix="fuzz/crashes/$t-" -print_final_stats=1 \
       "$work" "fuzz/corpus/$t" </dev/null >"$log" 2>&1; } 2>"build-fuzz/$t.time"; then
    status=ok
  else
    status=FAILED
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  echo "fuzz: $t $status: ${runs} inputs in $(($(date +%s) - start))s ($(awk '{ printf "%.0f", $1 + $2 }' "build-fuzz/$t.time")s CPU)," \
    "${cov:-cov: ?}, corpus $(ls "$work" | wc -l) files" >"build-fuzz/$t.result"
  echo "$status" >"build-fuzz/$t.status"
}

# FUZZ_PARALLEL targets at a time (default: one per core): each fuzzes for its
# FUZZ_SECONDS of wall time on a core of its own, so the run takes a fraction of the time.
PARALLEL=${FUZZ_PARALLEL:-$JOBS}
echo "fuzz: ${#TARGETS[@]} targets for ${SECONDS_PER_TARGET}s each, $PARALLEL at a time"
for t in "${TARGETS[@]}"; do
  rm -f "build-fuzz/$t.status" "build-fuzz/$t.result"
  while (($(jobs -rp | wc -l) >= PARALLEL)); do wait -n || true; done
  fuzz_one "$t" &
done
wait
failed=()
for t in "${TARGETS[@]}"; do
  cat "build-fuzz/$t.result" 2>/dev/null || echo "fuzz: $t did not report"
  if [[ $(cat "build-fuzz/$t.status" 2>/dev/null) != ok ]]; then
    failed+=("$t")
    grep -E 'ERROR|runtime error|Test unit written|SUMMARY' "build-fuzz/$t.log" | head -20 >&2 || true
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]} (inputs in fuzz/crashes/, logs in build-fuzz/*.log)" >&2
  exit 1
fi
echo "fuzz: ${#TARGETS[@]} targets, no crash"
