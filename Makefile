# Parley: `make run` starts the demo, `make test` runs every test. See README.md.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
BUILD_DIR := build
PARLEY := $(BUILD_DIR)/parley
LISTEN ?= 127.0.0.1:8080
DATA ?= ./data

.PHONY: all bootstrap configure build server web run test bench clean

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

# C++ tests (unit, store contract, integration) through CTest, then the browser tests.
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	@cd web && PARLEY_BIN=$(abspath $(PARLEY)) npm run --silent e2e

# The benchmarks (bench/run.sh, docs/performance.md): Parley, then the Node baseline under the
# same load, and the budget table. PROFILE=short (default, under 3 minutes) or PROFILE=full.
PROFILE ?= short
bench: configure
	@bash bench/run.sh --profile $(PROFILE)

clean:
	rm -rf $(BUILD_DIR) web/dist
