# Venice chain: `make run` starts a one-validator chain, `make test` runs every
# test. Each target installs what it needs, idempotently.
SHELL := /bin/bash
ROOT := $(abspath .)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/venice/target
# Incremental caches cost gigabytes and help only an edit-compile loop.
export CARGO_INCREMENTAL ?= 0
export VENICE_HOME ?= $(HOME)/.venice
BUILD := $(ROOT)/build
CARGO := cargo

.PHONY: all build run reset test bench setup clean
all: build

# Each area owns one fragment: mk/chain.mk, mk/contracts.mk, mk/sidecar.mk;
# mk/setup.mk installs and checks the tools.
include $(wildcard mk/*.mk)

# cache-guard, then check-tools: set-up, then every tool run once, before
# the long builds.
test: cache-guard check-tools lint test-chain test-contracts test-sidecar
bench: bench-chain bench-contracts bench-sidecar

clean:
	# artifacts/thirdparty is committed (see scripts/contracts-thirdparty.sh).
	rm -rf $(BUILD) $(filter-out artifacts/thirdparty,$(wildcard artifacts/*))
