#!/usr/bin/env python3
"""Reads a flow-explorer checkpoint with numpy alone and samples from it.

Usage: python3 examples/read_checkpoint.py CHECKPOINT.safetensors [K] [COUNT]

The file is safetensors, read by hand: an 8-byte little-endian header length, a JSON header
(dtype F32, shape, data offsets; "__metadata__" holds method, dataset, seed, iterations and the
network shape as strings), then the data. Weights are stored as [fan_in, fan_out] under
"layers.L.weight" (the transpose of PyTorch's nn.Linear.weight), biases under "layers.L.bias",
the EMA copy (used for sampling) under "ema.layers.L.*".

The network F(x, t[, d]) is an MLP on [x, emb(t)] (plus emb(d) for shortcut models), with
emb(s) = [sin(1000 s f_k) for k < 16] + [cos(1000 s f_k) for k < 16], f_k = 10000^(-k/16),
SiLU hidden layers and a linear output of 2. Sampling runs from t = 0 (noise) to t = 1 (data):
  fm        Euler, K steps of h = 1/K:       x <- x + h F(x, t)
  shortcut  K jumps of d = 1/K:              x <- x + d F(x, t, d)
  cd, ct    one consistency step:            f(x0, 0) = x0 + F(x0, 0)
It prints the metadata and the mean and standard deviation of the samples (compare them with
`flow-explorer sample CHECKPOINT --steps K --out s.npy`). Without numpy it says so and exits 0.
"""
import json
import struct
import sys

try:
    import numpy as np
except ImportError:
    print("numpy is not installed: pip install numpy to run this example")
    sys.exit(0)


def read_safetensors(path):
    """Returns ({name: float32 array}, metadata dict), validating offsets before reading."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("file too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError("header length beyond the end of the file")
    header = json.loads(blob[8:8 + n])
    data = memoryview(blob)[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        if not (0 <= start <= end <= len(data)) or end - start != 4 * count:
            raise ValueError(f"{name}: bad data offsets")
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])
    return tensors, metadata


def embed(s, size):
    """emb(s) for a column of values s [B]: [sin(1000 s f_k)] + [cos(1000 s f_k)], [B, size]."""
    half = size // 2
    f = 1000.0 * 10000.0 ** (-np.arange(half) / half)
    a = s[:, None].astype(np.float64) * f[None, :]
    return np.concatenate([np.sin(a), np.cos(a)], axis=1).astype(np.float32)


def make_network(tensors, metadata, prefix="ema."):
    depth = int(metadata["depth"])
    size = int(metadata["embedding_size"])
    layers = [(tensors[f"{prefix}layers.{l}.weight"], tensors[f"{prefix}layers.{l}.bias"]) for l in range(depth + 1)]

    def F(x, t, d=None):
        parts = [x, embed(np.full(len(x), t, np.float32), size)]
        if d is not None:
            parts.append(embed(np.full(len(x), d, np.float32), size))
        h = np.concatenate(parts, axis=1)
        for i, (w, b) in enumerate(layers):
            h = h @ w + b
            if i < depth:
                h = h / (1 + np.exp(-h))  # SiLU
        return h

    return F


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    path = sys.argv[1]
    K = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 4096
    tensors, metadata = read_safetensors(path)
    method = metadata["method"]
    print(f"{path}: {method} on {metadata['dataset']}, {metadata['iterations']} iterations, "
          f"width {metadata['width']}, depth {metadata['depth']}, {len(tensors)} tensors")
    F = make_network(tensors, metadata)
    x = np.random.default_rng(0).standard_normal((count, 2)).astype(np.float32)
    if method == "fm":
        for i in range(K):
            x = x + (1.0 / K) * F(x, i / K)
        how = f"Euler, K = {K}"
    elif method == "shortcut":
        for i in range(K):
            x = x + (1.0 / K) * F(x, i / K, 1.0 / K)
        how = f"shortcut jumps, K = {K}"
    else:
        x = x + F(x, 0.0)
        how = "one consistency step"
    mean, std = x.mean(axis=0), x.std(axis=0)
    print(f"{count} samples ({how}): mean ({mean[0]:.4f}, {mean[1]:.4f}), std ({std[0]:.4f}, {std[1]:.4f})")


if __name__ == "__main__":
    main()
