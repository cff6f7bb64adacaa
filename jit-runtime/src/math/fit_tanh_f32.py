"""The tables of `expf.rs`'s `f32` `tanh`: eight polynomials of degree 7.

`tanh(a)`, `a = |x|` clamped to 9.02 (above it `f32` `tanh` is 1), is a
polynomial in `v = a - m` on each of eight intervals. The interval is the
half binade of `key = a * 1.66 + 1` in `[1, 16)` (`[1, 1.5)`, `[1.5, 2)`,
`[2, 3)`, ... `[12, 16)`), so its index is bits 22 to 24 of `key`: eight
lanes look their coefficients up with one permutation each.

* Interval 0 (`a < 0.3`): `m = 0`, and `tanh(v) = v + v t(v)` with
  `t(v) = c2 v + ... + c7 v^6`, so that tiny arguments keep their relative
  accuracy (the result is `v` plus a small correction, rounded once).
* Others: `tanh(m + v) = c0 + v t(v)`, `t(v) = c1 + ... + c7 v^6`. The
  center `m` is the `f32` near the interval's middle whose `tanh` is nearest
  to an `f32` (so `c0` carries almost no rounding error), and is within a
  factor of 2 of every point of the interval (so `a - m` is exact).

The evaluation is `u = v g + c0` (`g` = 1 in interval 0, else 0), then
`t` by Horner, then `v t + u`: every step one fused multiply-add.

Coefficients: weighted least squares (Lawson's iteration towards minimax)
on Chebyshev nodes, weighted by the `f32` ulp of `tanh` (relative in
interval 0), each rounded to `f32` in turn with the higher ones refitted.
The script then evaluates the `f32` arithmetic on three million arguments
per interval and prints the worst error in ulps; `math_f32_every_kernel_argument`
(ignored by default) checks every `f32`.

Run: python3 fit_tanh_f32.py (needs numpy and mpmath). Prints the Rust
tables in index order.
"""
import mpmath as mp
import numpy as np

mp.mp.prec = 100
DEGREE = 7
LAMBDA = float(np.float32(1.66))
A_MAX = 9.02
f32 = np.float32
# `key`'s half binades, and the index of interval k (bits 22..24 of `key`).
KEY_BOUNDS = [1, 1.5, 2, 3, 4, 6, 8, 12, 16]
INDEX = [(6 + k) % 8 for k in range(8)]


def ulp32(v):
    e = np.floor(np.log2(np.maximum(np.abs(v), 2.0**-126)))
    return 2.0 ** (e - 23)


def lawson(a, b, w, iters=20):
    u = np.ones(len(b))
    for _ in range(iters + 1):
        sw = np.sqrt(u) * w
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        r = np.abs(a @ c - b) * w
        u = u * (r / r.max() + 1e-3)
        u /= u.mean()
    return c


def center(lo, hi):
    """The f32 near the middle of [lo, hi) whose tanh is nearest an f32."""
    mid = f32((lo + hi) / 2).view(np.uint32)
    cand = np.arange(mid - 200000, mid + 200000, dtype=np.uint32).view(np.float32)
    cand = cand.astype(np.float64)
    cand = cand[(cand / 2 < lo * 0.999) & (hi * 1.001 < 2 * cand)]
    th = np.tanh(cand)
    frac = np.abs(th - th.astype(f32).astype(np.float64)) / ulp32(th)
    return float(cand[np.argmin(frac)])


def fit(k):
    lo = (KEY_BOUNDS[k] - 1) / LAMBDA
    hi = min((KEY_BOUNDS[k + 1] - 1) / LAMBDA, A_MAX)
    m = 0.0 if k == 0 else center(lo, hi)
    n = 300
    xs = lo + (hi - lo) * (1 + np.cos(np.pi * (np.arange(n) + 0.5) / n)) / 2
    xs = np.concatenate([xs, [lo, hi]])
    exact = np.array([float(mp.tanh(mp.mpf(x))) for x in xs])
    v = xs - m
    if k == 0:
        coefs = [0.0, 1.0]
        w = np.where(xs > 0, 1 / np.maximum(np.abs(exact), 1e-30), 0)
    else:
        coefs = [float(f32(mp.tanh(mp.mpf(m))))]
        w = 1 / ulp32(exact)
    while len(coefs) <= DEGREE:
        j = len(coefs)
        a = np.stack([v**i for i in range(j, DEGREE + 1)], 1)
        b = exact - sum(coefs[i] * v**i for i in range(j))
        coefs.append(float(f32(lawson(a, b, w)[0])))
    return lo, hi, m, coefs


def fma(a, b, c):
    return f32(np.longdouble(a) * np.longdouble(b) + np.longdouble(c))


def tables_in_index_order(fits):
    """Rows m, g, c0, c1, ..., c7; columns by index."""
    rows = []
    for r in range(DEGREE + 3):
        row = [0.0] * 8
        for k, (_, _, m, c) in enumerate(fits):
            if r == 0:
                value = m
            elif r == 1:
                value = 1.0 if k == 0 else 0.0
            elif r == 3 and k == 0:
                value = 0.0  # interval 0's c1 = 1 is `g`
            else:
                value = c[r - 2]
            row[INDEX[k]] = value
        rows.append(np.array(row, dtype=f32))
    return rows


def tanh32(a, rows):
    a = np.minimum(a.astype(f32), f32(A_MAX))
    key = fma(a, f32(LAMBDA), f32(1.0))
    i = ((key.view(np.uint32) >> 22) & 7).astype(np.int64)
    v = (a - rows[0][i]).astype(f32)
    u = fma(v, rows[1][i], rows[2][i])
    t = rows[-1][i]
    for r in range(len(rows) - 2, 2, -1):
        t = fma(t, v, rows[r][i])
    return fma(t, v, u)


def main():
    fits = [fit(k) for k in range(8)]
    rows = tables_in_index_order(fits)
    worst = 0.0
    for k, (lo, hi, m, _) in enumerate(fits):
        b0 = f32(max(lo, 2.0**-30)).view(np.uint32)
        b1 = f32(hi).view(np.uint32)
        a = np.arange(b0, b1, max(1, int(b1 - b0) // 3_000_000), dtype=np.uint32).view(f32)
        exact = np.tanh(a.astype(np.float64))
        err = np.abs(tanh32(a, rows).astype(np.float64) - exact) / ulp32(exact)
        print(f"// interval {k}: [{lo:.4f}, {hi:.4f}), m = {m!r}: {err.max():.3f} ulp")
        worst = max(worst, err.max())
    print(f"// worst: {worst:.3f} ulp")
    names = ["m", "g", "c0"] + [f"c{j}" for j in range(1, DEGREE + 1)]
    for name, row in zip(names, rows):
        words = ", ".join(f"0x{w:08X}" for w in row.view(np.uint32))
        print(f"[{words}], // {name}")


main()
