# House rules: rustfmt.toml's format and clippy without warnings, for the
# workspace and the contracts' own workspace. `make fmt` rewrites in place.
.PHONY: fmt lint
fmt:
	$(CARGO) fmt --all
	cd contracts && $(CARGO) fmt --all

lint:
	$(CARGO) fmt --all --check
	cd contracts && $(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd contracts && CARGO_TARGET_DIR=$(CONTRACTS_HOST_TARGET) $(CARGO) clippy --workspace --all-targets --locked -- -D warnings
