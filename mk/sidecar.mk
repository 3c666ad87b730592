# Sidecar: venice-sidecar (ONNX Runtime execution service), its ONNX Runtime
# library, the real models, tests and benchmarks.
.PHONY: build-sidecar sidecar-setup onnxruntime onnxruntime-gpu models models-check test-sidecar check-sidecar-client-deps bench-sidecar
build: build-sidecar

# protoc + the ONNX Runtime library ($HOME/.cache/venice/onnxruntime, linked
# into build/lib/ where build/venice-sidecar finds it).
sidecar-setup:
	@bash scripts/sidecar-setup.sh

onnxruntime:
	bash scripts/sidecar-onnxruntime.sh

# CUDA provider build + CUDA/cuDNN wheels, for GPU validators (--gpu).
onnxruntime-gpu:
	bash scripts/sidecar-onnxruntime.sh --gpu

build-sidecar: sidecar-setup
	$(CARGO) build --release -p venice-sidecar
	@mkdir -p $(BUILD)
	@cp $(CARGO_TARGET_DIR)/release/venice-sidecar $(BUILD)/.venice-sidecar.tmp && mv -f $(BUILD)/.venice-sidecar.tmp $(BUILD)/venice-sidecar
	@echo "built $(BUILD)/venice-sidecar"

# models/<sha256>.onnx + models/index.json: verified; rebuilt only if missing.
models:
	@bash scripts/models-ensure.sh

# Rebuilds the models from scratch in a temp dir and compares bytes and index.
models-check:
	"$$(bash scripts/models-venv.sh)" scripts/models-make.py --check

test-sidecar: sidecar-setup models check-sidecar-client-deps
	$(CARGO) test -p venice-model-types -p venice-sidecar -p venice-sidecar-client --features venice-model-types/quantize

# venice-sidecar-client is what veniced links to reach the sidecar: no ONNX
# Runtime (`ort`, `ort-sys`) may enter its dependency tree (normal and build
# edges, all features). Also checked by its `no_onnx_runtime` test.
check-sidecar-client-deps:
	@tree="$$($(CARGO) tree -p venice-sidecar-client -e normal,build --all-features --prefix none --format '{p}')" || exit 1; \
	if printf '%s\n' "$$tree" | grep -E '^ort(-sys)? '; then \
		echo "venice-sidecar-client depends on ONNX Runtime (above)" >&2; exit 1; \
	fi; echo "venice-sidecar-client: no ONNX Runtime in its dependency tree"

bench-sidecar: sidecar-setup models
	$(CARGO) bench -p venice-sidecar --bench sidecar
