"""High-precision reference values of the `f64` math functions.

Writes and checks the data files beside this script, one per function
(`sin_f64.txt`, ...), which `../testdata.rs` includes at compile time for the
unit test `math_f64_vs_high_precision`. The tests never run Python.

Each sample line holds three `f64` bit patterns as 16 lowercase hex digits,
`x hi lo` (four for the two-argument functions: `y x hi lo` for `atan2`,
`x y hi lo` for `hypot`): `hi` is the exact function value at `x` rounded to the nearest
double, and `lo` is the exact remainder `f(x) - hi` rounded the same way, so
`hi + lo` carries about 106 bits. Lines starting with `#` are comments: a
header per file and one line per `--extend` run with its size and seed.

Rounding is mpmath's `float()`, the convention the samples were made with:
to nearest, ties to even, at 53 significant bits, which is correct rounding
for every normal result. Results below 2^-1022 are then rounded a second
time, to the subnormal grid, which can land one subnormal ulp off when the
value lies within 2^-53 (relative) of a midpoint: 2 of the 50 subnormal
`exp` samples (check mode lists them; the test allows one ulp there). A
nonzero value that rounds to zero keeps its sign, so a `lo` that underflows
is `-0.0` when the exact value lies below `hi`; an exact result (`ln(1)`) has
`lo = +0.0`, and `f(+-0) = +-0` for the odd functions.

Values are computed with mpmath at 2400 bits of working precision, far
beyond the ~1100 bits the argument reduction of `sin(2^1023)` consumes.

Inputs per function, drawn with Python's `random.Random` seeded by
`"<seed>/<function>"` (the shares are those of `--extend`):

  sin, cos, tan  uniform in [-100, 100] (150), random bit patterns over all
                 finite values (150), doubles nearest to k*pi/2 with k
                 log-uniform in [1, 2^60 / (pi/2)] (100); plus, when a file is
                 first created, the fixed inputs `6381956970095103 * 2^797`
                 (the hardest case for pi/2 reduction), the double nearest
                 pi/2, 1e22 and the largest finite double
  exp            uniform in [-745, 709.7] (200), in [-1, 1] (150), and in
                 [-745.1, -708.4], where results are subnormal (50)
  exp2           uniform in [-1075, 1023.9] (200), in [-1, 1] (200)
  ln             random bit patterns over positive finite values (200),
                 uniform in [0.5, 2] (100), 1 + uniform in [-1e-6, 1e-6]
                 (50), random subnormals (50)
  log2           random bit patterns over positive finite values (200),
                 uniform in [0.5, 2] (150), 1 + uniform in [-1e-6, 1e-6] (50)
  atan           uniform in [-10, 10] (200), random bit patterns over all
                 finite values (100), uniform in [-3, 3] (100)
  tanh           uniform in [-20, 20] (150), in [-1, 1] (150), in [0.5, 1.2]
                 (100)
  asin, acos     uniform in [-1, 1] (200), in [0.9, 1] (50), in [-1, -0.9]
                 (50), random bit patterns of magnitude below 1 (100)
  sinh, cosh     uniform in [-20, 20] (150), in [-1, 1] (150), in
                 [-710.4, 710.4] (100)
  asinh          uniform in [-10, 10] (150), in [-1, 1] (150), random bit
                 patterns over all finite values (100)
  acosh          uniform in [1, 10] (150), in [1, 1.01] (100), random bit
                 patterns of at least 1 (150)
  atanh          uniform in [-1, 1] (200), in [0.99, 1] (100), random bit
                 patterns of magnitude below 1 (100)
  atan2          pairs uniform in [-10, 10]^2 (200), of random bit patterns
                 over all finite values (100), (a, ~2^-30 a) and (~2^-30 a,
                 a) with a uniform in [-10, 10] (50 each)
  hypot          pairs uniform in [-10, 10]^2 (200), of random bit patterns
                 below 2^1020 (100), (a, ~2^-30 a) (100)
  exp_m1         uniform in [-40, 709.7] (150), in [-1, 1] (150), in
                 [-1e-5, 1e-5] (100)
  ln_1p          uniform in [-1, 1] (150), random bit patterns over positive
                 finite values (150), uniform in [-1e-5, 1e-5] (100)
  log10          as log2 (exact powers of ten are exact)
  cbrt           random bit patterns over all finite values (200), uniform
                 in [-2, 2] (150), random subnormals (50)
  erf            uniform in [-6, 6] (200), in [-1.5, 1.5] (150), random bit
                 patterns over all finite values (50)
  sigmoid        1 / (1 + e^-x): uniform in [-745, 710] (150), in [-40, 40]
                 (200), in [-1, 1] (50)

The samples checked in were drawn this way by an earlier generator whose
random stream was not kept; they are kept as they are, and this script
recomputes their values from the inputs in the files.

Usage (Python 3 with mpmath: `pip install mpmath`):

  python3 generate.py                    check every file: recompute hi, lo
                                         from x and report any difference
  python3 generate.py --write            rewrite hi, lo from x
  python3 generate.py --extend N --seed S [FUNC ...]
                                         append N new samples per function
                                         (all, or the ones named, e.g.
                                         sin_f64), drawn with seed S

Check mode exits with status 1 on any difference; it takes a few seconds.
Extending changes the sample counts the test prints (the test itself needs
no change).
"""

import argparse
import math
import os
import random
import struct
import sys

import mpmath

PREC = 2400
HERE = os.path.dirname(os.path.abspath(__file__))

F64_MAX = struct.unpack("<d", struct.pack("<Q", 0x7FEFFFFFFFFFFFFF))[0]
HALF_PI = math.pi / 2  # the double nearest pi/2

# Inputs a new trig file starts with: the classic hardest case for pi/2
# reduction, the double nearest pi/2, 1e22 and the largest finite double.
TRIG_FIXED = [6381956970095103 * 2.0**797, HALF_PI, 1e22, F64_MAX]


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def round_to(man, exp, q):
    """The integer nearest `man * 2^(exp - q)`, ties to even."""
    if exp >= q:
        return man << (exp - q)
    shift = q - exp
    r = man >> shift
    rem = man - (r << shift)
    half = 1 << (shift - 1)
    if rem > half or (rem == half and r & 1):
        r += 1
    return r


def to_f64(v, correctly=False):
    """The mpf `v` as a double, rounded to nearest, ties to even; a nonzero
    value that rounds to zero keeps its sign. By default as mpmath's
    `float()` rounds (the convention of the samples checked in): first to 53
    significant bits, then, for results below 2^-1022, again to the
    subnormal grid. With `correctly`, once, straight to the double grid.
    Exact integer arithmetic."""
    sign, man, exp, bc = v._mpf_
    if not man:
        if v != 0:
            raise ValueError(f"not finite: {v}")
        return 0.0
    top = exp + bc - 1  # |v| in [2^top, 2^(top + 1))
    if correctly:
        q = max(top - 52, -1074)
        r = round_to(man, exp, q)
    else:
        q = top - 52
        r = round_to(man, exp, q)
        if q < -1074:
            r, q = round_to(r, q, -1074), -1074
    if r and r.bit_length() + q > 1024:
        raise OverflowError(f"{v} overflows f64")
    y = math.ldexp(r, q)  # exact: r <= 2^53 and q >= -1074
    return -y if sign else y


def log2(x):
    m, e = math.frexp(x)
    if m == 0.5:  # an exact power of two
        return mpmath.mpf(e - 1)
    return mpmath.log(x) / mpmath.log(2)


def exp2(x):
    return mpmath.mpf(2) ** x


def log10(x):
    n = round(math.log10(x)) if x > 0 else 0
    if 0 <= n <= 22 and x == 10.0**n:  # an exact power of ten
        return mpmath.mpf(n)
    return mpmath.log(x) / mpmath.log(10)


def cbrt(x):
    """The real cube root (mpmath's `cbrt` is the principal complex one)."""
    return mpmath.cbrt(x) if x >= 0 else -mpmath.cbrt(-x)


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


FUNCS = {
    "sin_f64": mpmath.sin,
    "cos_f64": mpmath.cos,
    "tan_f64": mpmath.tan,
    "exp_f64": mpmath.exp,
    "ln_f64": mpmath.log,
    "exp2_f64": exp2,
    "log2_f64": log2,
    "atan_f64": mpmath.atan,
    "tanh_f64": mpmath.tanh,
    # Inverse trigonometric and hyperbolic functions.
    "asin_f64": mpmath.asin,
    "acos_f64": mpmath.acos,
    "sinh_f64": mpmath.sinh,
    "cosh_f64": mpmath.cosh,
    "asinh_f64": mpmath.asinh,
    "acosh_f64": mpmath.acosh,
    "atanh_f64": mpmath.atanh,
    # Two arguments: a line holds `y x hi lo` (`atan2(y, x)`), `x y hi lo`.
    "atan2_f64": mpmath.atan2,
    "hypot_f64": mpmath.hypot,
    "exp_m1_f64": mpmath.expm1,
    "ln_1p_f64": mpmath.log1p,
    "log10_f64": log10,
    "cbrt_f64": cbrt,
    "erf_f64": mpmath.erf,
    "sigmoid_f64": sigmoid,
}

ARITY = {"atan2_f64": 2, "hypot_f64": 2}


def value(name, x, *more):
    """`name`'s exact value at the double `x` (and further arguments), to
    `PREC` bits."""
    with mpmath.workprec(PREC):
        return FUNCS[name](mpmath.mpf(x), *map(mpmath.mpf, more))


def reference(name, x, *more):
    """`(hi, lo)` bit patterns of the function `name` at the double `x` (and
    further arguments; the two-argument samples avoid exact zeros)."""
    v = value(name, x, *more)
    if v == 0:
        # Only at x = 0 (sin, tan, atan, tanh) or x = 1 (ln, log2): exact,
        # and the odd functions keep the sign of zero, which mpf lacks.
        return bits(x if x == 0 else 0.0), bits(0.0)
    hi = to_f64(v)
    lo = to_f64(mpmath.fsub(v, hi, exact=True))
    return bits(hi), bits(lo)


def correctly_rounded(name, x, *more):
    """`name`'s value at `x` rounded once to the nearest double (bits)."""
    return bits(to_f64(value(name, x, *more), correctly=True))


# Input kinds: functions of a `random.Random` returning a double.


def uniform(a, b):
    return lambda rng: rng.uniform(a, b)


def random_finite(rng):
    while True:
        x = from_bits(rng.getrandbits(64))
        if math.isfinite(x) and x != 0:
            return x


def random_positive(rng):
    while True:
        x = from_bits(rng.getrandbits(63))
        if math.isfinite(x) and x != 0:
            return x


def random_subnormal(rng):
    return from_bits(rng.randrange(1, 1 << 52))


def random_unit(rng):
    """A random finite bit pattern of magnitude below 1."""
    while True:
        x = random_finite(rng)
        if abs(x) < 1:
            return x


def random_at_least_one(rng):
    """A random positive bit pattern of at least 1."""
    while True:
        x = random_positive(rng)
        if x >= 1:
            return x


def pair(first, second):
    return lambda rng: (first(rng), second(rng))


def random_moderate(rng):
    """A random finite nonzero bit pattern below 2^1020 in magnitude (so
    that `hypot` of two stays finite)."""
    while True:
        x = random_finite(rng)
        if abs(x) < 2.0**1020:
            return x


def lopsided(rng):
    """`(a, b)` with `|b|` about 2^-30 of `|a|`: one term nearly negligible."""
    a = rng.uniform(-10, 10)
    return a, a * rng.uniform(-1, 1) * 2.0**-30


def near_one(rng):
    return 1.0 + rng.uniform(-1e-6, 1e-6)


def near_half_pi_multiple(rng):
    k = max(1, int(2.0 ** rng.uniform(0, math.log2(2.0**60 / HALF_PI))))
    with mpmath.workprec(PREC):
        return float(k * mpmath.pi / 2)


TRIG_KINDS = [
    (uniform(-100, 100), 150),
    (random_finite, 150),
    (near_half_pi_multiple, 100),
]

KINDS = {
    "sin_f64": TRIG_KINDS,
    "cos_f64": TRIG_KINDS,
    "tan_f64": TRIG_KINDS,
    "exp_f64": [
        (uniform(-745, 709.7), 200),
        (uniform(-1, 1), 150),
        (uniform(-745.1, -708.4), 50),
    ],
    "exp2_f64": [(uniform(-1075, 1023.9), 200), (uniform(-1, 1), 200)],
    "ln_f64": [
        (random_positive, 200),
        (uniform(0.5, 2), 100),
        (near_one, 50),
        (random_subnormal, 50),
    ],
    "log2_f64": [(random_positive, 200), (uniform(0.5, 2), 150), (near_one, 50)],
    "atan_f64": [
        (uniform(-10, 10), 200),
        (random_finite, 100),
        (uniform(-3, 3), 100),
    ],
    "tanh_f64": [
        (uniform(-20, 20), 150),
        (uniform(-1, 1), 150),
        (uniform(0.5, 1.2), 100),
    ],
    # Inverse trigonometric and hyperbolic functions.
    "asin_f64": [
        (uniform(-1, 1), 200),
        (uniform(0.9, 1), 50),
        (uniform(-1, -0.9), 50),
        (random_unit, 100),
    ],
    "acos_f64": [
        (uniform(-1, 1), 200),
        (uniform(0.9, 1), 50),
        (uniform(-1, -0.9), 50),
        (random_unit, 100),
    ],
    "sinh_f64": [
        (uniform(-20, 20), 150),
        (uniform(-1, 1), 150),
        (uniform(-710.4, 710.4), 100),
    ],
    "cosh_f64": [
        (uniform(-20, 20), 150),
        (uniform(-1, 1), 150),
        (uniform(-710.4, 710.4), 100),
    ],
    "asinh_f64": [
        (uniform(-10, 10), 150),
        (uniform(-1, 1), 150),
        (random_finite, 100),
    ],
    "acosh_f64": [
        (uniform(1, 10), 150),
        (uniform(1, 1.01), 100),
        (random_at_least_one, 150),
    ],
    "atanh_f64": [
        (uniform(-1, 1), 200),
        (uniform(0.99, 1), 100),
        (random_unit, 100),
    ],
    "atan2_f64": [
        (pair(uniform(-10, 10), uniform(-10, 10)), 200),
        (pair(random_finite, random_finite), 100),
        (lopsided, 50),
        (lambda rng: tuple(reversed(lopsided(rng))), 50),
    ],
    "hypot_f64": [
        (pair(uniform(-10, 10), uniform(-10, 10)), 200),
        (pair(random_moderate, random_moderate), 100),
        (lopsided, 100),
    ],
    "exp_m1_f64": [
        (uniform(-40, 709.7), 150),
        (uniform(-1, 1), 150),
        (uniform(-1e-5, 1e-5), 100),
    ],
    "ln_1p_f64": [
        (uniform(-1, 1), 150),
        (random_positive, 150),
        (uniform(-1e-5, 1e-5), 100),
    ],
    "log10_f64": [(random_positive, 200), (uniform(0.5, 2), 150), (near_one, 50)],
    "cbrt_f64": [(random_finite, 200), (uniform(-2, 2), 150), (random_subnormal, 50)],
    "erf_f64": [(uniform(-6, 6), 200), (uniform(-1.5, 1.5), 150), (random_finite, 50)],
    "sigmoid_f64": [
        (uniform(-745, 710), 150),
        (uniform(-40, 40), 200),
        (uniform(-1, 1), 50),
    ],
}


def new_inputs(name, n, seed):
    """`n` inputs for `name`, split over its kinds in proportion to their
    shares (largest remainders first), each kind's points in a row."""
    kinds = KINDS[name]
    total = sum(w for _, w in kinds)
    counts = [n * w // total for _, w in kinds]
    order = sorted(range(len(kinds)), key=lambda i: -(n * kinds[i][1] % total))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    rng = random.Random(f"{seed}/{name}")
    xs = []
    for (kind, _), count in zip(kinds, counts):
        xs.extend(kind(rng) for _ in range(count))
    return xs


def path(name):
    return os.path.join(HERE, f"{name}.txt")


def read(name):
    """`(comment lines, samples)` of a data file; samples as `[x, hi, lo]`."""
    comments, samples = [], []
    with open(path(name)) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                comments.append(line)
                continue
            words = line.split()
            if len(words) != ARITY.get(name, 1) + 2:
                raise ValueError(f"{name}: bad line {line!r}")
            samples.append([int(w, 16) for w in words])
    return comments, samples


def write(name, comments, samples):
    with open(path(name), "w") as f:
        f.writelines(c + "\n" for c in comments)
        f.writelines(" ".join(f"{b:016x}" for b in s) + "\n" for s in samples)


def header(name):
    args = {"atan2_f64": "y, x", "hypot_f64": "x, y"}.get(name, "x")
    return [
        f"# {name}: {args}, hi, lo as f64 bit patterns; hi + lo = {name}({args}) to ~106 bits.",
        "# Generated by generate.py (mpmath, 2400 bits); see its docstring.",
    ]


def check(names, rewrite):
    bad = checked = 0
    twice = []
    for name in names:
        comments, samples = read(name)
        n = ARITY.get(name, 1)
        for s in samples:
            xs = [from_bits(b) for b in s[:n]]
            x = xs[0] if n == 1 else tuple(xs)
            hi, lo = reference(name, *xs)
            checked += 1
            if (hi, lo) != (s[n], s[n + 1]):
                bad += 1
                print(
                    f"{name}: x = {x!r} ({s[0]:016x}): file hi, lo ="
                    f" {s[n]:016x} {s[n + 1]:016x}, computed {hi:016x} {lo:016x}"
                )
                s[n], s[n + 1] = hi, lo
            if from_bits(hi) != 0 and abs(from_bits(hi)) < 2.0**-1022:
                once = correctly_rounded(name, *xs)
                if once != hi:
                    twice.append(f"{name}(x = {x!r}): hi {hi:016x}, {once:016x}")
        if rewrite:
            write(name, comments, samples)
        print(f"{name}: {len(samples)} samples")
    verb = "rewritten" if rewrite else "differ"
    print(f"{checked} samples checked, {bad} {verb}")
    if twice:
        print(
            f"{len(twice)} subnormal hi one ulp from the correctly rounded"
            " value (rounded to 53 bits first):"
        )
        for t in twice:
            print("  " + t)
    return bad == 0 or rewrite


def extend(names, n, seed):
    for name in names:
        if os.path.exists(path(name)):
            comments, samples = read(name)
        else:
            comments, samples = header(name), []
            if name in ("sin_f64", "cos_f64", "tan_f64"):
                samples = [[bits(x), *reference(name, x)] for x in TRIG_FIXED]
        comments.append(f"# --extend {n} --seed {seed}: {len(samples)} + {n}")
        for x in new_inputs(name, n, seed):
            xs = x if isinstance(x, tuple) else (x,)
            samples.append([*map(bits, xs), *reference(name, *xs)])
        write(name, comments, samples)
        print(f"{name}: {len(samples)} samples")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("funcs", nargs="*", metavar="FUNC", help="e.g. sin_f64")
    p.add_argument("--write", action="store_true", help="rewrite hi, lo")
    p.add_argument("--extend", type=int, metavar="N", help="append N samples")
    p.add_argument("--seed", type=int, help="seed of the new samples")
    a = p.parse_args()
    names = a.funcs or list(FUNCS)
    for name in names:
        if name not in FUNCS:
            p.error(f"unknown function {name}; one of {', '.join(FUNCS)}")
    if a.extend is not None:
        if a.seed is None:
            p.error("--extend needs --seed")
        extend(names, a.extend, a.seed)
    elif a.seed is not None:
        p.error("--seed goes with --extend")
    elif not check(names, a.write):
        sys.exit(1)


if __name__ == "__main__":
    main()
