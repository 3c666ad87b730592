# Chain: veniced, venice CLI, CometBFT.
.PHONY: build-chain test-chain bench-chain
build: build-chain
build-chain:
	$(CARGO) build --release -p veniced -p venice
test-chain:
	$(CARGO) test -p venice-store -p venice-sdk -p venice-auth -p venice-bank -p veniced -p venice
bench-chain:
	@echo "chain benchmarks: not yet"
