# Contracts: CosmWasm contracts under contracts/ (their own cargo workspace),
# built to wasm32 with Debian's Rust, checked, and run in cosmwasm-vm.
.PHONY: contracts contracts-checksums contracts-schema contracts-thirdparty \
	contracts-thirdparty-update test-contracts test-contracts-native test-contracts-vm bench-contracts
CONTRACTS_HOST_TARGET ?= $(HOME)/.cache/venice/target-contracts-host

# artifacts/<crate>.wasm + artifacts/checksums.txt
contracts:
	scripts/contracts-build.sh

# Unmodified cw20-base / cw721-base from the registry, rebuilt and checked
# against the committed artifacts/thirdparty (the module tests run them).
contracts-thirdparty:
	scripts/contracts-thirdparty.sh

# Replace the committed third-party artefacts after a deliberate change.
contracts-thirdparty-update:
	scripts/contracts-thirdparty.sh --update

# Record the sums of a deliberate contract change as the expected ones.
contracts-checksums: contracts
	scripts/contracts-checksums.sh --update

# Regenerate contracts/<crate>/schema (JSON schema of the messages).
contracts-schema:
	scripts/contracts-schema.sh

test-contracts: contracts contracts-thirdparty
	scripts/contracts-checksums.sh
	scripts/contracts-cosmwasm-check.sh
	scripts/contracts-schema.sh --check
	$(MAKE) test-contracts-native test-contracts-vm

test-contracts-native:
	cd contracts && CARGO_TARGET_DIR=$(CONTRACTS_HOST_TARGET) $(CARGO) test --locked --workspace

# Release profile: wasmer's compiler is slow unoptimised, and the benchmark
# needs release anyway, so both share one build.
test-contracts-vm:
	$(CARGO) test --release -p venice-contracts-vm -- --nocapture

bench-contracts: contracts
	$(CARGO) run --release -p venice-contracts-vm --bin contracts-bench
