.PHONY: contracts test-contracts bench-contracts
test-contracts:
bench-contracts:
