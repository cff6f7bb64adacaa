"""The polynomial R of `logf.rs`: ln m = 2 atanh(s) = 2s + 2s z R(z), z = s^2.

Fits R of degree 3 in z on |s| <= 0.17158 (m in [sqrt(1/2), sqrt(2)),
s = (m - 1) / (m + 1)) for the minimax *relative* error of 2s + 2s z R(z)
by Lawson's iteration (weighted least squares on Chebyshev nodes), in
mpmath at 200 bits, prints the coefficients (shortest round-trip f64 repr,
as in `R`) and the worst relative error on a dense grid.
Run: python3 logf_fit.py (needs numpy and mpmath). Output checked in:

R = [0.3333333282411334, 0.20000167316371037, 0.14268670229192604,
     0.11790800562880899]
log2 of the worst relative error: -37.61
"""
import mpmath as mp
import numpy as np

mp.mp.prec = 200
S = mp.mpf(0.17158)  # (sqrt(2) - 1) / (sqrt(2) + 1) = 0.171573, and room
DEGREE = 3


def fit(d, iters=30):
    n = 300
    zmax = S * S
    zs = [zmax * (1 + mp.cos(mp.pi * (k + 0.5) / n)) / 2 for k in range(n)]
    rows, b = [], []
    for z in zs:
        t = mp.atanh(mp.sqrt(z)) / mp.sqrt(z)
        rows.append([float(z ** (j + 1) / t) for j in range(d + 1)])
        b.append(float((t - 1) / t))
    a, b, w = np.array(rows), np.array(b), np.ones(len(zs))
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        w = w * np.abs(a @ c - b)
        w /= w.sum()
    return [float(ci) for ci in c]


def worst(c):
    out = mp.mpf(0)
    for k in range(1, 4001):
        s = S * k / 4000
        z = s * s
        r = mp.mpf(0)
        for ci in reversed(c):
            r = r * z + mp.mpf(ci)
        exact = 2 * mp.atanh(s)
        out = max(out, abs((2 * s + 2 * s * z * r - exact) / exact))
    return out


if __name__ == "__main__":
    c = fit(DEGREE)
    print("R =", c)
    print("log2 of the worst relative error: %.2f" % float(mp.log(worst(c), 2)))
