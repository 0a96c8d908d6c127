#!/usr/bin/env python3
"""Reads a flow-explorer checkpoint with numpy alone and samples from it.

Usage: python3 examples/read_checkpoint.py CHECKPOINT.safetensors [K] [COUNT] [--write COPY.safetensors]

The file is safetensors, read by hand: an 8-byte little-endian header length, a JSON header
(dtype F32, shape, data offsets; "__metadata__" holds method, dataset, seed, iterations and the
network shape as strings), then the data. Weights are stored as [fan_in, fan_out] under
"layers.L.weight" (the transpose of PyTorch's nn.Linear.weight), biases under "layers.L.bias",
the EMA copy (used for sampling) under "ema.layers.L.*".

The network F(x, t[, d]) is an MLP on [x, emb(t)] (plus emb(d) for shortcut models), with
emb(s) = [sin(c s f_k) for k < 16] + [cos(c s f_k) for k < 16], f_k = 10000^(-k/16), c = time_scale
(1000 unless the metadata says otherwise),
SiLU hidden layers and a linear output of 2. Sampling runs from t = 0 (noise) to t = 1 (data):
  fm        Euler, K steps of h = 1/K:       x <- x + h F(x, t)
  shortcut, meanflow  K jumps of d = 1/K:    x <- x + d F(x, t, d)
  cd, ct    one consistency step:            f(x0, 0) = x0 + F(x0, 0)
It prints the metadata and the mean and standard deviation of the samples (compare them with
`flow-explorer sample CHECKPOINT --steps K --out s.npy`). With --write it also writes the tensors
and metadata back as safetensors, in the byte layout flow-explorer writes (names and metadata keys
sorted, compact JSON, header padded with spaces to 8 bytes), so the copy equals the original.
Without numpy it says so and exits 0.
"""
import json
import os
import struct
import sys
import tempfile

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


def quoted(s):
    """s as a JSON string, escaped exactly as flow-explorer escapes it."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = "".join(escapes.get(c, "\\u%04x" % ord(c) if ord(c) < 0x20 else c) for c in s)
    return '"' + out + '"'


def write_safetensors(path, tensors, metadata, source):
    """Writes tensors and metadata to a temporary file beside `path`, then renames it into place.
    Refuses to write over `source` (the file that was read)."""
    if os.path.exists(path) and os.path.samefile(path, source):
        raise ValueError(f"{path} is the input file")
    entries = ['"__metadata__":{' + ",".join(f"{quoted(k)}:{quoted(metadata[k])}" for k in sorted(metadata)) + "}"]
    offset = 0
    for name in sorted(tensors):
        end = offset + 4 * tensors[name].size
        shape = ",".join(str(d) for d in tensors[name].shape)
        entries.append(f'{quoted(name)}:{{"dtype":"F32","shape":[{shape}],"data_offsets":[{offset},{end}]}}')
        offset = end
    header = ("{" + ",".join(entries) + "}").encode("utf-8")
    header += b" " * (-len(header) % 8)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".copy-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(header)) + header)
            for name in sorted(tensors):
                f.write(tensors[name].astype("<f4").tobytes())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def embed(s, size, scale=1000.0):
    """emb(s) for a column of values s [B]: [sin(c s f_k)] + [cos(c s f_k)], [B, size], c = scale."""
    half = size // 2
    f = scale * 10000.0 ** (-np.arange(half) / half)
    a = s[:, None].astype(np.float64) * f[None, :]
    return np.concatenate([np.sin(a), np.cos(a)], axis=1).astype(np.float32)


def make_network(tensors, metadata, prefix="ema."):
    depth = int(metadata["depth"])
    size = int(metadata["embedding_size"])
    scale = float(metadata.get("time_scale", "1000"))  # files written before the setting used 1000
    layers = [(tensors[f"{prefix}layers.{l}.weight"], tensors[f"{prefix}layers.{l}.bias"]) for l in range(depth + 1)]

    def F(x, t, d=None):
        parts = [x, embed(np.full(len(x), t, np.float32), size, scale)]
        if d is not None:
            parts.append(embed(np.full(len(x), d, np.float32), size, scale))
        h = np.concatenate(parts, axis=1)
        for i, (w, b) in enumerate(layers):
            h = h @ w + b
            if i < depth:
                h = h / (1 + np.exp(-h))  # SiLU
        return h

    return F


def main():
    args = sys.argv[1:]
    copy = None
    if "--write" in args:
        i = args.index("--write")
        if i + 1 >= len(args):
            sys.exit("--write needs a file name")
        copy = args[i + 1]
        del args[i:i + 2]
    if not args:
        print(__doc__)
        sys.exit(2)
    path = args[0]
    K = int(args[1]) if len(args) > 1 else 1
    count = int(args[2]) if len(args) > 2 else 4096
    tensors, metadata = read_safetensors(path)
    if copy is not None:
        write_safetensors(copy, tensors, metadata, path)
        print(f"wrote {copy}")
    method = metadata["method"]
    print(f"{path}: {method} on {metadata['dataset']}, {metadata['iterations']} iterations, "
          f"width {metadata['width']}, depth {metadata['depth']}, {len(tensors)} tensors")
    F = make_network(tensors, metadata)
    x = np.random.default_rng(0).standard_normal((count, 2)).astype(np.float32)
    if method == "fm":
        for i in range(K):
            x = x + (1.0 / K) * F(x, i / K)
        how = f"Euler, K = {K}"
    elif method in ("shortcut", "meanflow"):
        for i in range(K):
            x = x + (1.0 / K) * F(x, i / K, 1.0 / K)
        how = f"{method} jumps, K = {K}"
    else:
        x = x + F(x, 0.0)
        how = "one consistency step"
    mean, std = x.mean(axis=0), x.std(axis=0)
    print(f"{count} samples ({how}): mean ({mean[0]:.4f}, {mean[1]:.4f}), std ({std[0]:.4f}, {std[1]:.4f})")


if __name__ == "__main__":
    main()
