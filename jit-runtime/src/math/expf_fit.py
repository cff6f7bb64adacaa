"""The polynomial Q of `expf.rs`: e^r - 1 = r + r^2 Q(r) on |r| <= ln2/2.

Fits Q of degree 6 for the minimax *relative* error of r + r^2 Q(r) by
Lawson's iteration (weighted least squares on Chebyshev nodes), in mpmath
at 200 bits, prints the coefficients (shortest round-trip f64 repr, as in
`Q`) and the worst relative error of the f64 coefficients on a dense grid.
Run: python3 expf_fit.py (needs numpy and mpmath). Output checked in:

Q = [0.500000000010541, 0.1666666675417945, 0.041666665952387674,
     0.0083332890391973, 0.0013888985332794952, 0.00019904919694935689,
     2.4796366936629442e-05]
log2 of the worst relative error: -37.47
"""
import mpmath as mp
import numpy as np

mp.mp.prec = 200
R = 0.3466 * 1.0005  # ln2/2 and the rounding of k = round(y / ln2)
DEGREE = 6


def fit(d, iters=30):
    n = 400
    xs = [R * mp.cos(mp.pi * (k + 0.5) / n) for k in range(n)]
    e = [mp.expm1(x) for x in xs]
    a = np.array([[float(x ** (j + 2) / ei) for j in range(d + 1)] for x, ei in zip(xs, e)])
    b = np.array([float((ei - x) / ei) for x, ei in zip(xs, e)])
    w = np.ones(len(xs))
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        w = w * np.abs(a @ c - b)
        w /= w.sum()
    return [float(ci) for ci in c]


def worst(c):
    out = mp.mpf(0)
    for k in range(20001):
        x = mp.mpf(-R + 2 * R * k / 20000)
        if x == 0:
            continue
        q = mp.mpf(0)
        for ci in reversed(c):
            q = q * x + mp.mpf(ci)
        p = x + x * x * q
        out = max(out, abs((p - mp.expm1(x)) / mp.expm1(x)))
    return out


if __name__ == "__main__":
    c = fit(DEGREE)
    print("Q =", c)
    print("log2 of the worst relative error: %.2f" % float(mp.log(worst(c), 2)))
