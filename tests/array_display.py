"""JAX's `repr()` of arrays, for the Rust test of `Array`'s `Display`.

Run with JAX 0.10.2 (`pip install jax==0.10.2`) and NumPy 2 under their
default print options; the output is checked in beside this file as
`array_display.txt`, and `array_display.rs` builds the same arrays in Rust
and compares. The tests never run Python.

Each case prints a line `### <expression>`, then the repr, which may span
several lines (and hold blank lines). The expressions build the values with
NumPy, whose elementwise float arithmetic is IEEE's, so the Rust side can
compute the same bits; `array_display.rs` keys its cases by the same text.

64-bit types are enabled: the crate has i64 and f64.
"""

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

f32, f64 = np.float32, np.float64
nan, inf = float("nan"), float("inf")

CASES = [
    # Every dtype, shape [] and [3].
    "np.array(True)",
    "np.array(False)",
    "np.array([True, False, True])",
    "np.array(7, np.int32)",
    "np.array([1, 2, 3], np.int32)",
    "np.array(7, np.uint32)",
    "np.array([0, 7, 4294967295], np.uint32)",
    "np.array(-7, np.int64)",
    "np.array([1, -9223372036854775808, 9223372036854775807], np.int64)",
    "np.array(2.0, f32)",
    "np.array([1.0, 2.0, 3.0], f32)",
    "np.array(2.0, f64)",
    "np.array([1.0, 2.0, 3.0], f64)",
    # Integers padded to a common width.
    "np.array([1, -20, 300], np.int32)",
    "np.array([1, -20, 300], np.int64)",
    "np.array([5, 20, 300], np.uint32)",
    # Floats: the shortest digits of the dtype, at most 8 after the point.
    "np.array([0.1, 0.2, 0.3], f32)",
    "np.array([0.1, 0.2, 0.3], f64)",
    "np.array([1.0, 2.5, -3.25], f32)",
    "np.array([1 / 3, 2 / 3, 1.0], f32)",
    "np.array([1 / 3, 2 / 3, 1.0], f64)",
    "np.array([12.3456789012345, -2.718281828459045], f64)",
    "np.array([123456.789, 0.5], f64)",
    "np.array([123456.789, 0.5], f32)",
    "np.array([0.125, 0.0625, 1.0], f64)",
    "np.array([0.0001, 0.001], f32)",
    "np.array([0.0001, 0.001], f64)",
    # Non-finite values and negative zero.
    "np.array([nan, 1.0, -inf, inf], f32)",
    "np.array([nan, 1.5, inf], f64)",
    "np.array([nan, inf], f32)",
    "np.array([nan, -inf], f64)",
    "np.array([-0.0, 0.0, 1.0], f32)",
    "np.array(-0.0, f64)",
    "np.array(nan, f32)",
    "np.array(-inf, f64)",
    # Scientific notation: tiny, huge, or spread over > 3 orders.
    "np.array([1e-05, 1.0, 2.0], f32)",
    "np.array([1e10, 1.0, -2.5], f64)",
    "np.array([1e-05, 1e10, -0.0, nan, 3.0], f64)",
    "np.array([1e-05, 1e10, -0.0, nan, 3.0], f32)",
    "np.array([1e7, 1.0], f64)",
    "np.array([1e7, 1.0], f32)",
    "np.array([1e6, 2e6], f32)",
    "np.array([1e8, 2e8], f64)",
    "np.array([1.5e-300, 2e300], f64)",
    "np.array([0.1, 1000.0], f64)",
    "np.array([0.1, 1000.1], f64)",
    "np.array([1.23456789e-7, 1.0], f64)",
    "np.array([-inf, 1e-09, 1.0], f32)",
    "np.array(1e-05, f32)",
    "np.array(1e20, f64)",
    # Several dimensions.
    "np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], f32)",
    "np.array([[1, -20, 300], [4, 5, 6]], np.int32)",
    "np.array([[True, False, True], [False, False, True]])",
    "np.array([[1.5, nan, -2.0], [0.25, inf, 100.0]], f64)",
    "np.arange(8, dtype=f32).reshape(2, 2, 2)",
    "np.arange(8, dtype=np.int64).reshape(2, 2, 2) - 3",
    "np.array([True, False] * 4).reshape(2, 2, 2)",
    "np.arange(16, dtype=f64).reshape(2, 2, 2, 2) / 4",
    "np.arange(6, dtype=np.uint32).reshape(1, 2, 3, 1)",
    "np.array([[7.0]], f32)",
    # Wrapping at NumPy's line width, with `Array(` taken into account.
    "np.arange(40, dtype=f32) * f32(1.5)",
    "np.arange(40, dtype=f64) / 3",
    "np.arange(40, dtype=f32) / f32(3)",
    "np.arange(30, dtype=np.int64) * 1000 - 7",
    "np.arange(60, dtype=np.uint32)",
    "np.arange(34, dtype=f32) * f32(0.5)",
    "np.arange(12, dtype=f64).reshape(2, 6) * 1e5 + 0.5",
    "np.arange(30, dtype=f32).reshape(2, 15) / f32(7)",
    "np.array([True, False] * 15)",
    "np.arange(18, dtype=np.int32) * 1000000",
    "np.arange(17, dtype=np.int32) * 1000000",
    # Summaries: more than 1000 elements.
    "np.arange(1001, dtype=f32)",
    "np.arange(1001, dtype=np.int32)",
    "np.arange(1001, dtype=f64) / 7",
    "np.arange(1200, dtype=np.int32).reshape(3, 400)",
    "np.arange(1200, dtype=f32).reshape(3, 400) / f32(8)",
    "np.arange(2000, dtype=np.int64).reshape(10, 10, 20)",
    "np.arange(2000, dtype=f64).reshape(100, 20) - 1000",
    "np.arange(1001, dtype=np.uint32) % 2 == 0",
    "np.concatenate([np.full(500, 1e-08), np.full(501, 2.0)]).astype(f64)",
    # Empty arrays.
    "np.zeros((0,), f32)",
    "np.zeros((0, 3), f32)",
    "np.zeros((2, 0), np.int32)",
    "np.zeros((0,), bool)",
]


def main():
    for expression in CASES:
        value = jnp.asarray(eval(expression))
        print(f"### {expression}")
        print(repr(value))
    # Weak types come from Python scalars; the Rust test covers them with a
    # unit test, since a public `Array` constructor is never weak.
    print("### jnp.asarray(1.0)")
    print(repr(jnp.asarray(1.0)))
    print("### jnp.asarray(1)")
    print(repr(jnp.asarray(1)))


if __name__ == "__main__":
    main()
