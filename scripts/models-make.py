#!/usr/bin/env python3
"""Builds the real ONNX models the sidecar tests, demos and benchmarks use.

Writes models/<sha256>.onnx for each model plus models/index.json (name,
sha256, inputs/outputs with dtypes and shapes, quantisation rule, a sample
input file). Everything is seeded and single-threaded, so the bytes are the
same on every run; `--check` rebuilds into a scratch directory and compares.

Models:
  digits-mlp      scikit-learn MLPClassifier on the bundled `load_digits`
                  (8x8 handwritten digits), converted with skl2onnx.
  docstring-topic character-bigram linear classifier (a bag-of-features
                  logistic regression) over the Python standard library's own
                  docstrings, four topics; input is the UTF-8 bytes of a text.
  matmul-loop     a stress model: `n` rounds of y = tanh(y @ W), with `n` an
                  input; used for deadline, queue and overhead benchmarks.
"""
import os

# Single-threaded BLAS before numpy loads: multi-threaded reductions may
# change the trained weights' last bits, and so the model bytes.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse
import hashlib
import inspect
import json
import shutil
import sys
import tempfile
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20260101
TEXT_LEN = 256      # bytes of UTF-8 per text input (zero-padded)
BUCKETS = 4096      # hashed character-bigram features
LOOP_DIM = 128
OPSET = 17

TOPICS = {
    "networking": ["http.client", "http.server", "urllib.request", "urllib.parse", "socket",
                   "smtplib", "ftplib", "imaplib", "poplib", "email.message", "ssl", "socketserver"],
    "numbers": ["math", "cmath", "statistics", "decimal", "fractions", "random", "numbers",
                "operator", "heapq", "bisect"],
    "files": ["os", "os.path", "shutil", "pathlib", "tempfile", "glob", "fnmatch", "filecmp",
              "zipfile", "tarfile", "io", "stat"],
    "text": ["string", "re", "textwrap", "difflib", "unicodedata", "codecs", "html", "html.parser",
             "locale", "gettext", "csv", "json"],
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def onnx_bytes(model) -> bytes:
    # Pin metadata that would otherwise carry tool versions or paths.
    model.producer_name = "venice-models-make"
    model.producer_version = "1"
    model.doc_string = ""
    return model.SerializeToString(deterministic=True)


def io_spec(model):
    """Inputs/outputs with dtypes and shapes (-1 for a dynamic dimension)."""
    names = {v: k for k, v in TensorProto.DataType.items()}
    dtype = {"FLOAT": "float32", "DOUBLE": "float64", "INT64": "int64", "INT32": "int32",
             "UINT8": "uint8", "INT8": "int8", "BOOL": "bool"}

    def one(v):
        t = v.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
        return {"name": v.name, "dtype": dtype[names[t.elem_type]], "shape": dims}

    inits = {i.name for i in model.graph.initializer}
    return ([one(v) for v in model.graph.input if v.name not in inits],
            [one(v) for v in model.graph.output])


def tensor_json(name, dtype, arr):
    return {name: {"dtype": dtype, "shape": list(arr.shape), "data": arr.ravel().tolist()}}


# ---------------------------------------------------------------- digits-mlp
def digits_model():
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=SEED, stratify=y)
    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(xtr, ytr)
    acc = float(clf.score(xte, yte))
    model = to_onnx(clf, initial_types=[("input", FloatTensorType([None, 64]))],
                    options={id(clf): {"zipmap": False}}, target_opset=OPSET)
    sample = xte[:1]
    expected = {"label": [int(clf.predict(sample)[0])], "true_label": [int(yte[0])]}
    return {
        "name": "digits-mlp",
        "kind": "classifier",
        "description": "MLP (64-32-10) on scikit-learn's load_digits: 8x8 grey digits scaled to [0,1]",
        "accuracy": round(acc, 4),
        "rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
        "sample": {"inputs": tensor_json("input", "float32", sample)},
        "expected": expected,
    }, model


# ------------------------------------------------------------ docstring-topic
def topic_corpus():
    """(text, topic) pairs: each docstring paragraph of the listed modules."""
    import importlib

    rows = []
    for topic_id, (topic, mods) in enumerate(TOPICS.items()):
        for mod_name in mods:
            mod = importlib.import_module(mod_name)
            docs = [inspect.getdoc(mod) or ""]
            for attr in sorted(dir(mod)):
                if attr.startswith("_"):
                    continue
                obj = getattr(mod, attr, None)
                if inspect.isfunction(obj) or inspect.isclass(obj) or inspect.isbuiltin(obj):
                    if getattr(obj, "__module__", None) not in (mod.__name__, "posix", "_socket", "math"):
                        continue
                    docs.append(inspect.getdoc(obj) or "")
            for doc in docs:
                for para in doc.split("\n\n"):
                    para = " ".join(para.split())
                    if len(para) >= 40:
                        rows.append((para, topic_id))
    # Dedupe while keeping a fixed order.
    seen, out = set(), []
    for text, t in rows:
        if text not in seen:
            seen.add(text)
            out.append((text, t))
    return out


def text_bytes(text: str) -> np.ndarray:
    b = text.encode("utf-8")[:TEXT_LEN]
    arr = np.zeros(TEXT_LEN, dtype=np.int64)
    arr[: len(b)] = np.frombuffer(b, dtype=np.uint8)
    return arr


def bigram_ids(codes: np.ndarray) -> np.ndarray:
    """Hashed bigram ids exactly as the ONNX graph computes them (0 = padding)."""
    a, b = codes[:-1], codes[1:]
    ids = (a * 257 + b) % (BUCKETS - 1) + 1
    return np.where(b > 0, ids, 0)


def bag(codes: np.ndarray) -> np.ndarray:
    v = np.bincount(bigram_ids(codes), minlength=BUCKETS).astype(np.float64)
    v[0] = 0.0
    n = max(v.sum(), 1.0)
    return v / n


def topic_model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    rows = topic_corpus()
    codes = np.stack([text_bytes(t) for t, _ in rows])
    x = np.stack([bag(c) for c in codes])
    y = np.array([t for _, t in rows])
    idx = np.arange(len(rows))
    tr, te = train_test_split(idx, test_size=0.2, random_state=SEED, stratify=y)
    clf = LogisticRegression(C=50.0, max_iter=2000)
    clf.fit(x[tr], y[tr])
    acc = float(clf.score(x[te], y[te]))

    w = clf.coef_.T.astype(np.float32)           # [BUCKETS, topics]
    w[0, :] = 0.0                                # padding bigram contributes nothing
    bias = clf.intercept_.astype(np.float32)
    ntop = w.shape[1]
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)
    nodes = [
        # a = codes[:, :-1], b = codes[:, 1:]
        helper.make_node("Slice", ["text", "s0", "e_last", "ax1"], ["a"]),
        helper.make_node("Slice", ["text", "s1", "e_end", "ax1"], ["b"]),
        helper.make_node("Mul", ["a", "c257"], ["a257"]),
        helper.make_node("Add", ["a257", "b"], ["ab"]),
        helper.make_node("Mod", ["ab", "cmod"], ["abm"]),
        helper.make_node("Add", ["abm", "one"], ["hashed"]),
        helper.make_node("Greater", ["b", "zero"], ["valid"]),
        helper.make_node("Where", ["valid", "hashed", "zero"], ["ids"]),
        helper.make_node("Gather", ["W", "ids"], ["rows"], axis=0),          # [1, L-1, T]
        helper.make_node("ReduceSum", ["rows", "ax1"], ["sums"], keepdims=0),  # [1, T]
        helper.make_node("Cast", ["valid"], ["validf"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["validf", "ax1"], ["count"], keepdims=1),
        helper.make_node("Max", ["count", "onef"], ["denom"]),
        helper.make_node("Div", ["sums", "denom"], ["mean"]),
        helper.make_node("Add", ["mean", "bias"], ["logits"]),
        helper.make_node("ArgMax", ["logits"], ["label"], axis=1, keepdims=0),
    ]
    inits = [
        numpy_helper.from_array(w, "W"), numpy_helper.from_array(bias, "bias"),
        i64("s0", [0]), i64("s1", [1]), i64("e_last", [TEXT_LEN - 1]), i64("e_end", [TEXT_LEN]),
        i64("ax1", [1]), i64("c257", 257), i64("cmod", BUCKETS - 1), i64("one", 1), i64("zero", 0),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "onef"),
    ]
    graph = helper.make_graph(
        nodes, "docstring_topic",
        [helper.make_tensor_value_info("text", TensorProto.INT64, [1, TEXT_LEN])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, ntop]),
         helper.make_tensor_value_info("label", TensorProto.INT64, [1])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)

    sample_text = "Open a connection to the remote host and send the request headers."
    sample = text_bytes(sample_text)[None, :]
    expected = {"label": [int(clf.predict(bag(sample[0])[None, :])[0])]}
    return {
        "name": "docstring-topic",
        "kind": "text-classifier",
        "description": ("character-bigram linear classifier of English technical text into "
                        + ", ".join(TOPICS) + "; trained on the Python standard library's docstrings"),
        "accuracy": round(acc, 4),
        "labels": list(TOPICS),
        "text_encoding": f"UTF-8 bytes as int64, truncated or zero-padded to {TEXT_LEN}",
        "rule": "argmax",
        "sample": {"inputs": tensor_json("text", "int64", sample)},
        "sample_text": sample_text,
        "expected": expected,
        "training_rows": len(rows),
    }, model


# ---------------------------------------------------------------- matmul-loop
def loop_model():
    rng = np.random.default_rng(SEED)
    w = (rng.standard_normal((LOOP_DIM, LOOP_DIM)) / np.sqrt(LOOP_DIM)).astype(np.float32)
    body = helper.make_graph(
        [helper.make_node("MatMul", ["y_in", "W"], ["z"]),
         helper.make_node("Tanh", ["z"], ["y_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("y_in", TensorProto.FLOAT, [1, LOOP_DIM])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("y_out", TensorProto.FLOAT, [1, LOOP_DIM])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["n", "", "x"], ["y"], body=body)],
        "matmul_loop",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, LOOP_DIM]),
         helper.make_tensor_value_info("n", TensorProto.INT64, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, LOOP_DIM])],
        [numpy_helper.from_array(w, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    x = np.linspace(-1.0, 1.0, LOOP_DIM, dtype=np.float32)[None, :]
    sample = {**tensor_json("x", "float32", x), **tensor_json("n", "int64", np.array(100, dtype=np.int64))}
    return {
        "name": "matmul-loop",
        "kind": "stress",
        "description": f"n rounds of y = tanh(y @ W), W {LOOP_DIM}x{LOOP_DIM} seeded; cost grows with input n",
        "rule": {"fixed_point": {"scale_exp": 6, "rounding": "half_even"}},
        "sample": {"inputs": sample},
    }, model


def build(out_dir: str) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    entries = []
    for make in (digits_model, topic_model, loop_model):
        meta, model = make()
        data = onnx_bytes(model)
        digest = sha256(data)
        inputs, outputs = io_spec(model)
        path = os.path.join(out_dir, f"{digest}.onnx")
        if not (os.path.exists(path) and sha256(open(path, "rb").read()) == digest):
            tmp = path + ".tmp"
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        sample_name = f"{meta['name']}.sample.json"
        write_if_changed(os.path.join(out_dir, sample_name), json.dumps(meta.pop("sample"), indent=1) + "\n")
        entries.append({"name": meta.pop("name"), "sha256": digest, "file": f"{digest}.onnx",
                        "size": len(data), "inputs": inputs, "outputs": outputs,
                        "rule": meta.pop("rule"), "sample_input": sample_name, **meta})
    index = {"format": "venice-models/v1", "models": entries}
    write_if_changed(os.path.join(out_dir, "index.json"), json.dumps(index, indent=2, sort_keys=True) + "\n")
    return index


def write_if_changed(path: str, text: str):
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
    ap.add_argument("--check", action="store_true", help="rebuild in a scratch dir and compare with --out")
    args = ap.parse_args()
    if args.check:
        scratch = tempfile.mkdtemp(prefix="venice-models-")
        try:
            fresh = build(scratch)
            with open(os.path.join(args.out, "index.json")) as f:
                recorded = json.load(f)
            if fresh != recorded:
                print("models: rebuilt index differs from the recorded one", file=sys.stderr)
                sys.exit(1)
            for m in fresh["models"]:
                if open(os.path.join(scratch, m["file"]), "rb").read() != open(os.path.join(args.out, m["file"]), "rb").read():
                    print(f"models: {m['name']} bytes differ", file=sys.stderr)
                    sys.exit(1)
            print(f"models: reproducible ({', '.join(m['name'] + ' ' + m['sha256'][:12] for m in fresh['models'])})")
        finally:
            shutil.rmtree(scratch)
        return
    index = build(args.out)
    for m in index["models"]:
        extra = f" accuracy {m['accuracy']}" if "accuracy" in m else ""
        print(f"models: {m['name']:16} {m['sha256']}{extra}")


if __name__ == "__main__":
    main()
