# Parley: `make run` starts the demo, `make test` runs every test. See README.md.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
BUILD_DIR := build
PARLEY := $(BUILD_DIR)/parley
LISTEN ?= 127.0.0.1:8080
DATA ?= ./data

.PHONY: all bootstrap configure build server web run cluster test build-sanitize test-sanitize test-tsan fuzz fuzz-build bench clean

all: build

bootstrap:
	@bash scripts/bootstrap.sh

configure: bootstrap
	@cmake --preset default >/dev/null

# Only the server binary (what `make run` needs).
server: configure
	@cmake --build --preset default -j $(JOBS) --target parley

web: bootstrap
	@cd web && npm run --silent build

# Everything: server, tests, benchmarks, front ends.
build: configure web
	@cmake --build --preset default -j $(JOBS)

run: server web
	$(PARLEY) serve --listen $(LISTEN) --data $(DATA) --web web/dist --demo

# A local cluster to try: PostgreSQL + Redis in a temporary directory, two nodes, HAProxy on
# $(LISTEN), the demo seeded (scripts/cluster.sh). Ctrl-C stops everything it started.
cluster: server web
	@bash scripts/cluster.sh $(LISTEN)

# C++ tests (unit, store contract, integration) through CTest, then the browser tests.
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	@cd web && PARLEY_BIN=$(abspath $(PARLEY)) npm run --silent e2e

# Sanitizers (docs/testing.md). test-sanitize: every CTest suite built with ASan + UBSan in
# build-asan with clang-15 (a UBSan report fails its test). test-tsan: the store suite (group commit,
# concurrency) and the integration suite (real server, WebSocket clients) under ThreadSanitizer
# in build-tsan, with the narrow suppressions of tests/tsan.supp.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build-sanitize: bootstrap
	@bash scripts/install_packages.sh test-sanitize clang-15
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test-sanitize: build-sanitize
	@cd build-asan && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)

test-tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target parley parley_store_tests parley_integration_tests
	@cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(abspath tests/tsan.supp)" \
	  ctest --output-on-failure -j $(JOBS) -L 'store|integration'

# libFuzzer (scripts/fuzz.sh, fuzz/): builds every target in build-fuzz with clang-15 and runs
# each for FUZZ_SECONDS; a crash is kept in fuzz/crashes/ and fails the run.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh

fuzz-build: bootstrap
	@FUZZ_BUILD_ONLY=1 JOBS=$(JOBS) bash scripts/fuzz.sh

# The benchmarks (bench/run.sh, docs/performance.md): Parley, then the Node baseline under the
# same load, and the budget table. PROFILE=short (default, under 3 minutes), PROFILE=full, or
# PROFILE=cluster (PostgreSQL + Redis, two nodes, a kill -9; about 2 minutes).
PROFILE ?= short
bench: configure
	@bash bench/run.sh --profile $(PROFILE)

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz web/dist
