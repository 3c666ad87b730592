# Set-up: every tool the two commands rely on, installed idempotently (fast
# when done), then each one run once by scripts/check-tools.sh, which names
# anything missing before any long build starts.
.PHONY: setup setup-run check-tools check-tools-run cache-guard

# The cargo target dirs outside the clone only grow; this prunes them, and
# empties one that is too big or finds the disk nearly full
# (scripts/cache-guard.py).
cache-guard:
	@python3 scripts/cache-guard.py $(CARGO_TARGET_DIR) $(CONTRACTS_HOST_TARGET)

# What `make run` needs: CometBFT (go install, pinned), jq, and the protobuf
# descriptor set veniced embeds (SDK + wasmd protos by `go mod download`,
# built with protoc).
setup-run: install-cometbft
	@scripts/install-chain-tools.sh
	@scripts/install-protos.sh >/dev/null

# Everything `make test` needs besides: ONNX Runtime, grpcurl (the gRPC e2e test), the wasm
# contract toolchain (Debian's Rust 1.96 + rust-lld), cosmjs's packages,
# cosmwasm-check.
setup: setup-run
	@bash scripts/sidecar-setup.sh
	@scripts/contracts-toolchain.sh
	@scripts/install-cosmjs-deps.sh
	@scripts/install-cosmwasm-check.sh
	@scripts/install-grpcurl.sh

check-tools-run: setup-run
	@scripts/check-tools.sh --run

check-tools: setup
	@scripts/check-tools.sh
