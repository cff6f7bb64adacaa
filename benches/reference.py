"""JAX and NumPy on one core, for comparison with this crate's benches.

Run by hand (never by the tests or the benches), on an otherwise idle
machine, from the repository root:

    python3 -m venv /tmp/jaxenv && /tmp/jaxenv/bin/pip install jax==0.10.2 numpy
    taskset -c 0 /tmp/jaxenv/bin/python benches/reference.py > benches/reference.txt

The script pins itself to CPU 0 as well (like `taskset -c 0`) and, before
importing NumPy or JAX, makes both single-threaded: XLA's CPU backend with
`--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`, NumPy's
BLAS with `OMP_NUM_THREADS` and friends set to 1.

What it prints (`benches/reference.txt` is its output on the machine named
at its top):

- `dense`: `jax.jit(lambda x, W, b: jnp.tanh(x @ W + b))` and NumPy's
  `np.tanh(x @ W + b)` on f32 `x[m, k]`, `W[k, n]`, `b[n]`, and the plain
  product `x @ W`, in GFLOP/s counting `2·m·k·n` (as `benches/dense.rs`).
- `elementwise`: nanoseconds per element on f32[1e6], NumPy and `jax.jit`,
  for the work of `benches/arrays.rs` and its neighbours:
  `sin(x) + cos(x)`, `exp(x)`, `tanh(x)`, `x*x + 2*x + 1`, `x.sum()`,
  `x.copy()`, `cumsum(x)`.

Each figure is the fastest of timed runs after warm-up calls, timed in CPU
time of the whole process (`time.process_time`: user and system time of
all its threads, so XLA's own threads count too): on a busy machine wall
time also counts the time other processes hold the core, and a run of a
few milliseconds is rarely left alone. JAX results are waited for with
`block_until_ready`.
"""

import os

os.environ["XLA_FLAGS"] = (
    "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)
for var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[var] = "1"
os.environ["JAX_PLATFORMS"] = "cpu"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {0})

import platform  # noqa: E402
import time  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402


def cpu_model():
    """The `model name` line of /proc/cpuinfo, if there is one."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.strip()
    except OSError:
        pass
    return "model name\t: " + (platform.processor() or "unknown")


def fastest_seconds(f, *args, target=0.5, warmup=3, min_runs=5):
    """The fastest CPU time of `f(*args)` over runs filling about `target`
    seconds (at least `min_runs`), after `warmup` calls."""
    for _ in range(warmup):
        f(*args)
    t0 = time.process_time()
    f(*args)
    once = max(time.process_time() - t0, 1e-7)
    runs = max(min_runs, int(target / once))
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        f(*args)
        times.append(time.process_time() - t0)
    return min(times)


def jax_call(g):
    """`g` jitted, its result waited for."""
    g = jax.jit(g)
    return lambda *a: g(*a).block_until_ready()


def operands(m, k, n):
    """The operands `benches/dense.rs` uses."""
    i = np.arange(m * k)
    x = (((i * 7919) % 1000).astype(np.float32) - 500.0) / 500.0
    i = np.arange(k * n)
    w = (((i * 104729) % 997).astype(np.float32) - 498.0) / np.float32(
        498.0 * np.sqrt(np.float32(k))
    )
    b = (np.arange(n) % 11).astype(np.float32) * np.float32(0.05) - np.float32(0.25)
    return (
        x.astype(np.float32).reshape(m, k),
        w.astype(np.float32).reshape(k, n),
        b.astype(np.float32),
    )


def dense():
    print("## dense: GFLOP/s (2*m*k*n per call), one core")
    print(f"{'case':<28}{'jax.jit':>10}{'numpy':>10}")
    for m, k, n in [(256, 512, 512), (64, 128, 128)]:
        x, w, b = operands(m, k, n)
        xj, wj, bj = (jnp.asarray(a) for a in (x, w, b))
        flop = 2 * m * k * n
        cases = [
            (
                "tanh(x @ W + b)",
                jax_call(lambda x, w, b: jnp.tanh(x @ w + b)),
                lambda x, w, b: np.tanh(x @ w + b),
            ),
            (
                "x @ W",
                jax_call(lambda x, w, b: x @ w),
                lambda x, w, b: x @ w,
            ),
        ]
        for name, jf, nf in cases:
            tj = fastest_seconds(jf, xj, wj, bj)
            tn = fastest_seconds(nf, x, w, b)
            label = f"{name} {m}x{k}x{n}"
            print(f"{label:<28}{flop / tj / 1e9:>10.2f}{flop / tn / 1e9:>10.2f}")


def elementwise():
    n = 1_000_000
    print(f"## elementwise: ns per element, f32[{n}], one core")
    print(f"{'case':<20}{'jax.jit':>10}{'numpy':>10}")
    x = (np.arange(n, dtype=np.float32) * np.float32(2e-5) - np.float32(10.0)).astype(
        np.float32
    )
    xj = jnp.asarray(x)
    cases = [
        ("sin(x) + cos(x)", lambda x: jnp.sin(x) + jnp.cos(x), lambda x: np.sin(x) + np.cos(x)),
        ("exp(x)", jnp.exp, np.exp),
        ("tanh(x)", jnp.tanh, np.tanh),
        ("x*x + 2*x + 1", lambda x: x * x + 2 * x + 1, lambda x: x * x + 2 * x + 1),
        ("x.sum()", jnp.sum, np.sum),
        ("x.copy()", jnp.copy, np.copy),
        ("cumsum(x)", jnp.cumsum, np.cumsum),
    ]
    for name, jf, nf in cases:
        tj = fastest_seconds(jax_call(jf), xj)
        tn = fastest_seconds(nf, x)
        print(f"{name:<20}{tj / n * 1e9:>10.3f}{tn / n * 1e9:>10.3f}")


def main():
    print(cpu_model())
    print(
        f"jax {jax.__version__}, numpy {np.__version__}, python "
        f"{platform.python_version()}, devices {jax.devices()}"
    )
    print(f"affinity {sorted(os.sched_getaffinity(0))}, XLA_FLAGS={os.environ['XLA_FLAGS']}")
    # Other work on the machine slows every figure alike; say how much.
    print("load average %.2f %.2f %.2f, %d CPUs" % (*os.getloadavg(), os.cpu_count()))
    print()
    dense()
    print()
    elementwise()


if __name__ == "__main__":
    main()
