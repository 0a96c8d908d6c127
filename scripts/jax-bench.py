# An independent JAX reimplementation of one training step of flow-explorer's two main methods,
# flow matching (fm) and shortcut models (Frans et al. 2024), on the same network (sinusoidal
# embeddings of t and d, 3 hidden layers of 128 SiLU units, float32), batch (256 of 8gaussians)
# and optimiser (Adam lr 1e-3, EMA 0.999), to compare steps per second with
# `flow-explorer bench --threads 1`. It jits 100 steps under lax.scan, warms up, then times
# repeated calls and prints the median steps/s of --repeats measurements of --seconds each.
# JAX runs on one CPU thread (XLA's intra-op pool is sized 1 by PJRT_NPROC=1 before import).
# Usage: python3 scripts/jax-bench.py [--methods fm,shortcut] [--seconds 3] [--repeats 3]
#        [--isa avx2] [--json] [--check]   (scripts/jax-bench makes a venv with JAX and runs this)
import argparse, json, math, os, statistics, sys, time

p = argparse.ArgumentParser(description="JAX steps/s of one fm / shortcut training step, one thread")
p.add_argument("--methods", default="fm,shortcut")
p.add_argument("--seconds", type=float, default=3.0)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--isa", default=None, help="highest CPU ISA XLA may use, e.g. avx2 (default: the host's)")
p.add_argument("--json", action="store_true")
p.add_argument("--check", action="store_true", help="train 2000 fm steps and print the loss trend")
args = p.parse_args()

# Must be set before jax is imported. What makes XLA's CPU client run on one thread is the size
# of its intra-op thread pool, PJRT_NPROC (NPROC too; default: all cores): measured per thread
# from /proc/self/task, without it a jitted batch of matmuls runs on 2 threads even with
# --xla_cpu_multi_thread_eigen=false, with it on 1. (There is no intra_op_parallelism_threads
# flag in XLA_FLAGS: XLA rejects it.) The Eigen flag and OMP_NUM_THREADS are kept as belt and
# braces. --xla_cpu_max_isa caps the instructions XLA's code generator may use.
flags = ["--xla_cpu_multi_thread_eigen=false"]
if args.isa:
    flags.append(f"--xla_cpu_max_isa={args.isa.upper()}")
os.environ["XLA_FLAGS"] = " ".join(flags + [os.environ.get("XLA_FLAGS", "")]).strip()
for var in ("PJRT_NPROC", "NPROC", "OMP_NUM_THREADS"):
    os.environ[var] = "1"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax
import jax.numpy as jnp

B, H, EMB, NB, M, CHUNK = 256, 128, 32, 64, 128, 100
LR, B1, B2, EPS, EMA = 1e-3, 0.9, 0.999, 1e-8, 0.999
FREQS = 1000.0 * 10000.0 ** (-jnp.arange(EMB // 2, dtype=jnp.float32) / (EMB // 2))


def emb(s):  # s: [n] -> [n, 32]
    a = s[:, None] * FREQS[None, :]
    return jnp.concatenate([jnp.sin(a), jnp.cos(a)], axis=1)


def init(key, d_in):
    params = []
    for fan_in, fan_out in [(d_in, H), (H, H), (H, H), (H, 2)]:
        key, kw, kb = jax.random.split(key, 3)
        lim = 1.0 / math.sqrt(fan_in)
        params.append((jax.random.uniform(kw, (fan_in, fan_out), jnp.float32, -lim, lim),
                       jax.random.uniform(kb, (fan_out,), jnp.float32, -lim, lim)))
    return params


def net(params, x, t, d=None):
    h = jnp.concatenate([x, emb(t)] + ([] if d is None else [emb(d)]), axis=1)
    for w, b in params[:-1]:
        h = jax.nn.silu(h @ w + b)
    w, b = params[-1]
    return h @ w + b


def data(key, n):  # 8gaussians: radius 2.83, std 0.35, as flow-explorer draws it
    kc, kn = jax.random.split(key)
    ang = jax.random.randint(kc, (n,), 0, 8).astype(jnp.float32) * (jnp.pi / 4)
    c = 4.0 * jnp.stack([jnp.cos(ang), jnp.sin(ang)], axis=1)
    return (c + 0.5 * jax.random.normal(kn, (n, 2), jnp.float32)) / 1.414


def fm_loss(params, ema, key):
    k1, k0, kt = jax.random.split(key, 3)
    x1, x0 = data(k1, B), jax.random.normal(k0, (B, 2), jnp.float32)
    t = jax.random.uniform(kt, (B,), jnp.float32)
    xt = (1 - t[:, None]) * x0 + t[:, None] * x1
    return jnp.mean((net(params, xt, t) - (x1 - x0)) ** 2)


# Bootstrap step sizes: levels 1, 1/2, ..., 2/M, NB // 7 rows each, the leftover rows at d = 1.
LEVELS = [2.0 ** -i for i in range(int(math.log2(M)))]
COUNTS = [NB // len(LEVELS)] * len(LEVELS)
COUNTS[0] += NB % len(LEVELS)
D_BOOT = jnp.array(sum(([d] * n for d, n in zip(LEVELS, COUNTS)), []), jnp.float32)


def sc_loss(params, ema, key):
    k1, k0, kb, kf = jax.random.split(key, 4)
    x1, x0 = data(k1, B), jax.random.normal(k0, (B, 2), jnp.float32)
    steps = jnp.round(1.0 / D_BOOT).astype(jnp.int32)  # grid {0, d, ..., 1 - d}
    tb = jnp.floor(jax.random.uniform(kb, (NB,)) * steps).astype(jnp.float32) * D_BOOT
    tf = jax.random.randint(kf, (B - NB,), 0, M).astype(jnp.float32) / M
    t = jnp.concatenate([tb, tf])
    d = jnp.concatenate([D_BOOT, jnp.full((B - NB,), 1.0 / M, jnp.float32)])
    xt = (1 - t[:, None]) * x0 + t[:, None] * x1
    # Bootstrap targets from the EMA weights, on the NB bootstrap rows only.
    xb, half = xt[:NB], D_BOOT / 2
    s1 = net(ema, xb, tb, half)
    s2 = net(ema, xb + half[:, None] * s1, tb + half, half)
    target = jnp.concatenate([jax.lax.stop_gradient((s1 + s2) / 2), (x1 - x0)[NB:]])
    return jnp.mean((net(params, xt, t, d) - target) ** 2)


def make_chunk(loss_fn):
    def step(carry, _):
        params, m, v, ema, count, key = carry
        key, sub = jax.random.split(key)
        loss, g = jax.value_and_grad(loss_fn)(params, ema, sub)
        count = count + 1
        m = jax.tree.map(lambda a, b: B1 * a + (1 - B1) * b, m, g)
        v = jax.tree.map(lambda a, b: B2 * a + (1 - B2) * b * b, v, g)
        c1, c2 = 1 - B1 ** count, 1 - B2 ** count
        params = jax.tree.map(lambda p_, a, b: p_ - LR * (a / c1) / (jnp.sqrt(b / c2) + EPS), params, m, v)
        ema = jax.tree.map(lambda e, p_: EMA * e + (1 - EMA) * p_, ema, params)
        return (params, m, v, ema, count, key), loss

    return jax.jit(lambda carry: jax.lax.scan(step, carry, None, length=CHUNK))


def start(d_in, seed=0):
    kp, kr = jax.random.split(jax.random.PRNGKey(seed))
    params = init(kp, d_in)
    zeros = jax.tree.map(jnp.zeros_like, params)
    return (params, zeros, zeros, params, jnp.float32(0), kr)


METHODS = {"fm": (fm_loss, 2 + EMB), "shortcut": (sc_loss, 2 + 2 * EMB)}

if args.check:
    chunk = make_chunk(fm_loss)
    carry = start(2 + EMB)
    for i in range(2000 // CHUNK):
        carry, losses = chunk(carry)
        print(f"fm steps {(i + 1) * CHUNK:5d}  mean loss {float(jnp.mean(losses)):.4f}")
    sys.exit(0)

rows = []
for name in args.methods.split(","):
    if name not in METHODS:
        sys.exit(f"unknown method {name!r} (choose from {', '.join(METHODS)})")
    loss_fn, d_in = METHODS[name]
    chunk = make_chunk(loss_fn)
    carry = start(d_in)
    carry, _ = jax.block_until_ready(chunk(carry))  # compile
    carry, _ = jax.block_until_ready(chunk(carry))  # one warm run
    rates = []
    for _ in range(args.repeats):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            carry, _ = jax.block_until_ready(chunk(carry))
            n += CHUNK
        rates.append(n / (time.perf_counter() - t0))
    rows.append({"method": name, "steps_per_second": round(statistics.median(rates), 1)})
    if not args.json:
        print(f"jax {name} steps/s {rows[-1]['steps_per_second']}", flush=True)

if args.json:
    print(json.dumps({"jax": jax.__version__, "threads": 1, "isa": args.isa or "default", "rows": rows}))
