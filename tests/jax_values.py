"""JAX's values for the scalar cases the Rust tests check against.

Run with JAX 0.10.2 (`pip install jax==0.10.2`); its output is checked in
beside this file as `jax_values.txt`, and the tests quote it. The tests
never run Python.

64-bit types are enabled: the crate has i64 and f64 (`0i64`, `1.0f64` are
strong 64-bit values, as NumPy scalars are in JAX with x64 enabled).
"""

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


def show(name, value):
    exact = f" = {np.asarray(value).item()!r}" if hasattr(value, "dtype") else ""
    print(f"{name}: {value!r}{exact}")


def fib(n):
    return jax.lax.fori_loop(0, n, lambda i, ab: (ab[1], ab[0] + ab[1]),
                             (np.int64(0), np.int64(1)))[0]


def growth(n):
    return jax.lax.fori_loop(0, n, lambda i, a: a * 1.1, np.float64(1.0))


show("fib(90)", jax.jit(fib)(90))
show("growth(10)", jax.jit(growth)(10))

# lax.switch converts the index to int32 (wrapping), then clamps.
five = [lambda k=k: k for k in range(5)]
switch = jax.jit(lambda i: jax.lax.switch(i, five))
for index in [np.uint32(0xFFFFFFFF), np.uint32(0x80000000), np.uint32(100),
              np.int64(1 << 32), np.int64(5_000_000_000),
              np.int64(-5_000_000_000), np.int64(-2**63), np.int64(2**63 - 1)]:
    show(f"switch({index!r}) takes branch", switch(index))

# maximum/minimum: -0 orders below +0 in either order; NaN propagates.
for a, b in [(0.0, -0.0), (-0.0, 0.0)]:
    for dtype in [np.float32, np.float64]:
        x, y = dtype(a), dtype(b)
        show(f"maximum({x!r}, {y!r})", jnp.maximum(x, y))
        show(f"minimum({x!r}, {y!r})", jnp.minimum(x, y))
show("maximum(nan, 1)", jnp.maximum(np.float32(np.nan), np.float32(1)))
show("minimum(1, nan)", jnp.minimum(np.float32(1), np.float32(np.nan)))

# A negative Python int wraps into uint32.
show("uint32(5) + (-1)", jax.jit(lambda x: x + (-1))(np.uint32(5)))

# A Python int too wide for int32 (x64 disabled, JAX's default).
jax.config.update("jax_enable_x64", False)
try:
    jax.jit(lambda x: x + 1_099_511_627_776)(np.int32(1))
except OverflowError as e:
    show("int32(1) + 1_099_511_627_776 raises OverflowError", str(e))
