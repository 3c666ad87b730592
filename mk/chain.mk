# Chain: veniced, venice CLI, CometBFT.
.PHONY: build-chain test-chain test-chain-unit test-chain-e2e bench-chain \
        install-cometbft run reset localnet localnet-stop localnet-status
build: build-chain

# ./build holds the three binaries a node needs: veniced, venice, cometbft.
build-chain: install-cometbft
	$(CARGO) build --release -p veniced -p venice
	@mkdir -p $(BUILD)
	install -m 0755 $(CARGO_TARGET_DIR)/release/veniced $(CARGO_TARGET_DIR)/release/venice $(BUILD)/

install-cometbft:
	@scripts/install-cometbft.sh

# `make run`: one-validator chain under $(VENICE_HOME), reused between runs.
# Its first start deploys the contracts (localnet/deploy-contracts.sh), so
# their artefacts are built when missing; its sidecar runs the inference
# demo (localnet/demo-inference.sh) once the chain makes blocks.
run: cache-guard check-tools-run build-chain build-sidecar models
	@[ -f artifacts/model_nft.wasm ] && [ -f artifacts/data_credential.wasm ] && [ -f artifacts/compute_credit.wasm ] \
	  || $(MAKE) contracts
	@VENICE_BIN_DIR=$(BUILD) localnet/init.sh --home $(VENICE_HOME) --chain-id venice-local-1
	@VENICE_BIN_DIR=$(BUILD) exec localnet/run.sh --home $(VENICE_HOME)

# `make reset`: wipe the local chain (next `make run` starts from genesis).
reset:
	rm -rf $(VENICE_HOME)
	@echo "removed $(VENICE_HOME)"

# `make localnet [VALIDATORS=4]`: an N-validator network on loopback under
# $(VENICE_HOME)-multi (reused; `rm -rf` it to start over).
VALIDATORS ?= 4
localnet: build-chain build-sidecar models
	@scripts/install-chain-tools.sh
	@[ -d $(VENICE_HOME)-multi/node0 ] || VENICE_BIN_DIR=$(BUILD) localnet/init-multi.sh --validators $(VALIDATORS) --home $(VENICE_HOME)-multi
	@VENICE_BIN_DIR=$(BUILD) exec localnet/run-multi.sh --home $(VENICE_HOME)-multi

# From another terminal: stop the network `make localnet` runs; show each
# node's height, app hash and the validators' voting powers.
localnet-stop:
	@localnet/stop.sh --home $(VENICE_HOME)-multi

localnet-status:
	@localnet/status.sh --home $(VENICE_HOME)-multi

test-chain: test-chain-unit test-chain-e2e

# The wasm module's tests run the compiled contracts (artifacts/); the
# inference executor's test runs a real sidecar (build/venice-sidecar).
test-chain-unit: contracts build-sidecar models
	$(CARGO) test -p venice-types -p venice-store -p venice-sdk -p venice-auth -p venice-bank -p venice-staking -p venice-distribution -p venice-mint -p venice-slashing -p venice-vesting -p venice-airdrop -p venice-fees -p venice-gov -p venice-upgrade -p venice-ecosystem -p venice-inference -p venice-wasm -p veniced -p venice

# End-to-end: real CometBFT + veniced + venice CLI, then an unmodified cosmjs
# client. Each test starts its own chain on free loopback ports.
test-chain-e2e: build-chain build-sidecar models contracts
	@scripts/install-chain-tools.sh
	@scripts/install-cosmjs-deps.sh
	VENICE_BIN_DIR=$(BUILD) scripts/test-chain-e2e.sh

# FinalizeBlock+Commit throughput vs the secp256k1 ceiling, peak RSS, and
# store commit time vs keys written. Numbers only; no pass/fail.
# The inference benches run real sidecars (and the last one a 4-validator
# localnet): they need the binaries, the models and the contracts.
bench-chain: build-chain build-sidecar models contracts
	$(CARGO) bench -p veniced --bench finalize
	$(CARGO) bench -p veniced --bench wasm
	$(CARGO) bench -p veniced --bench pos
	$(CARGO) bench -p veniced --bench inference
	VENICE_BIN_DIR=$(BUILD) $(CARGO) bench -p veniced --bench executor
	@scripts/install-chain-tools.sh
	VENICE_BIN_DIR=$(BUILD) $(CARGO) bench -p venice-e2e --bench inference_localnet
	$(CARGO) bench -p venice-store --bench commit
