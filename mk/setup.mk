# Set-up: every tool the two commands rely on, installed idempotently (fast
# when done), then each one run once by scripts/check-tools.sh, which names
# anything missing before any long build starts.
.PHONY: setup setup-run check-tools check-tools-run

# What `make run` needs: CometBFT (go install, pinned) and jq.
setup-run: install-cometbft
	@scripts/install-chain-tools.sh

# Everything `make test` needs besides: protoc and ONNX Runtime, the wasm
# contract toolchain (Debian's Rust 1.96 + rust-lld), cosmjs's packages,
# cosmwasm-check.
setup: setup-run
	@bash scripts/sidecar-setup.sh
	@scripts/contracts-toolchain.sh
	@scripts/install-cosmjs-deps.sh
	@scripts/install-cosmwasm-check.sh

check-tools-run: setup-run
	@scripts/check-tools.sh --run

check-tools: setup
	@scripts/check-tools.sh
