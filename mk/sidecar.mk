.PHONY: test-sidecar bench-sidecar
test-sidecar:
bench-sidecar:
