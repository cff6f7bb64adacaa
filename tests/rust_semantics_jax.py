"""JAX's values for the `jnp` bit functions and integer `power` of
`tests/rust_semantics.rs`.

Run with JAX 0.10.2 (`pip install jax==0.10.2`) in 64-bit mode; the output
is checked in beside this file as `rust_semantics_jax.txt`, which the test
reads (it never runs Python). Each line is `name: v, v, ...` over the
operand grid below, in row-major order (x outer, n inner); the last lines
are the jaxprs of the primitives the crate records.
"""

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

GRIDS = {
    "int32": [0, 1, -1, 7, -8, 0x12345678, -(2**31), 2**31 - 1],
    "uint32": [0, 1, 7, 0x12345678, 0x80000000, 0xFFFFFFFF],
    "int64": [0, 1, -1, -8, 0x123456789ABCDEF0, -(2**63), 2**63 - 1],
}
AMOUNTS = {
    "int32": [0, 1, 31, 32, 33, 63, 64, -1],
    "uint32": [0, 1, 31, 32, 33, 63, 64, 0xFFFFFFFF],
    "int64": [0, 1, 31, 32, 63, 64, 65, -1],
}


def line(name, values):
    print(f"{name}: " + ", ".join(str(int(v)) for v in values))


for dtype, xs in GRIDS.items():
    ns = AMOUNTS[dtype]
    x = jnp.array([a for a in xs for _ in ns], dtype)
    n = jnp.array([b for _ in xs for b in ns], dtype)
    line(f"left_shift {dtype}", np.asarray(jnp.left_shift(x, n)).tolist())
    line(f"right_shift {dtype}", np.asarray(jnp.right_shift(x, n)).tolist())
    line(f"bitwise_count {dtype}", np.asarray(jnp.bitwise_count(jnp.array(xs, dtype))).tolist())

# `jnp.power` of two integer arrays (traced exponents: `_pow_int_int`).
BASES = {
    "int32": [0, 1, -1, 2, -3, 7, 0x1234, -(2**31), 2**31 - 1],
    "uint32": [0, 1, 2, 3, 7, 0x1234, 0xFFFFFFFF],
    "int64": [0, 1, -1, 2, -3, 7, 0x1234, -(2**63), 2**63 - 1],
}
EXPONENTS = {
    "int32": [0, 1, 2, 3, 5, 31, 63, 64, 65, -1, -2],
    "uint32": [0, 1, 2, 3, 5, 31, 63, 64, 65, 0xFFFFFFFF],
    "int64": [0, 1, 2, 3, 5, 31, 63, 64, 65, -1, -2],
}
for dtype, xs in BASES.items():
    ns = EXPONENTS[dtype]
    x = jnp.array([a for a in xs for _ in ns], dtype)
    n = jnp.array([b for _ in xs for b in ns], dtype)
    line(f"power {dtype}", np.asarray(jax.jit(jnp.power)(x, n)).tolist())

print(
    jax.make_jaxpr(
        lambda a, b: (
            lax.shift_left(a, b),
            lax.shift_right_arithmetic(a, b),
            lax.shift_right_logical(a, b),
            lax.population_count(a),
            lax.clz(a),
            lax.bitcast_convert_type(a, jnp.float32),
        )
    )(jnp.int32(1), jnp.int32(2))
)
