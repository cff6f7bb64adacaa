"""The polynomials of the short f32 kernels, `expf.rs`'s Q and `logf.rs`'s R.

Each is fitted for the minimax *relative* error of the function it serves
by Lawson's iteration (weighted least squares on Chebyshev nodes) in
mpmath at 200 bits; the script prints the coefficients (shortest
round-trip f64 repr, as in the Rust constants) and the worst relative
error of the f64 coefficients on a dense grid.

* Q, degree 6: e^r - 1 = r + r^2 Q(r) on |r| <= ln2/2 (widened for the
  rounding of k = round(y / ln2)).
* R, degree 3 in z = s^2: ln m = 2 atanh(s) = 2s + 2s z R(z) on
  |s| <= 0.17158 (m in [sqrt(1/2), sqrt(2)), s = (m - 1) / (m + 1)).

Run: python3 fit_f32_kernels.py (needs numpy and mpmath). Output checked in:

Q = [0.500000000010541, 0.1666666675417945, 0.041666665952387674, 0.0083332890391973, 0.0013888985332794952, 0.00019904919694935689, 2.4796366936629442e-05]
log2 of Q's worst relative error: -37.47
R = [0.3333333282411334, 0.20000167316371037, 0.14268670229192604, 0.11790800562880899]
log2 of R's worst relative error: -37.61
"""
import mpmath as mp
import numpy as np

mp.mp.prec = 200


def lawson(rows, targets, iters=30):
    """Coefficients c minimising max |rows @ c - targets| (approximately)."""
    a, b = np.array(rows), np.array(targets)
    w = np.ones(len(b))
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        w = w * np.abs(a @ c - b)
        w /= w.sum()
    return [float(ci) for ci in c]


def horner(c, x):
    acc = mp.mpf(0)
    for ci in reversed(c):
        acc = acc * x + mp.mpf(ci)
    return acc


def chebyshev(lo, hi, n):
    return [lo + (hi - lo) * (1 + mp.cos(mp.pi * (k + 0.5) / n)) / 2 for k in range(n)]


# Q: relative error of r + r^2 Q(r) against e^r - 1.
R_EXP = 0.3466 * 1.0005


def fit_q(degree=6):
    rows, targets = [], []
    for r in (R_EXP * mp.cos(mp.pi * (k + 0.5) / 400) for k in range(400)):
        e = mp.expm1(r)
        rows.append([float(r ** (j + 2) / e) for j in range(degree + 1)])
        targets.append(float((e - r) / e))
    return lawson(rows, targets)


def worst_q(c):
    grid = (mp.mpf(-R_EXP + 2 * R_EXP * k / 20000) for k in range(20001))
    return max(abs((r + r * r * horner(c, r) - mp.expm1(r)) / mp.expm1(r)) for r in grid if r != 0)


# R: relative error of 2s + 2s z R(z) against 2 atanh(s).
S_LOG = mp.mpf(0.17158)


def fit_r(degree=3):
    rows, targets = [], []
    for z in chebyshev(0, S_LOG * S_LOG, 300):
        t = mp.atanh(mp.sqrt(z)) / mp.sqrt(z)
        rows.append([float(z ** (j + 1) / t) for j in range(degree + 1)])
        targets.append(float((t - 1) / t))
    return lawson(rows, targets)


def worst_r(c):
    out = mp.mpf(0)
    for k in range(1, 4001):
        s = S_LOG * k / 4000
        z = s * s
        exact = 2 * mp.atanh(s)
        out = max(out, abs((2 * s + 2 * s * z * horner(c, z) - exact) / exact))
    return out


if __name__ == "__main__":
    q = fit_q()
    print("Q =", q)
    print("log2 of Q's worst relative error: %.2f" % float(mp.log(worst_q(q), 2)))
    r = fit_r()
    print("R =", r)
    print("log2 of R's worst relative error: %.2f" % float(mp.log(worst_r(r), 2)))
