"""JAX's values for the array programs of `tests/arrays.rs`.

Run with JAX 0.10.2 (`pip install jax==0.10.2`); the output is checked in
beside this file as `arrays_jax.txt`, and `arrays.rs` quotes it. The tests
never run Python. JAX's default 32-bit mode gives the default dtypes the
crate follows (a weak float alone is f32, an index i32); the last cases,
which need f64, enable 64-bit types.
"""

import jax
import jax.numpy as jnp
import numpy as np


def show(name, value):
    value = jnp.asarray(value)
    flat = np.asarray(value).reshape(-1).tolist()
    weak = " weak" if getattr(value, "weak_type", False) else ""
    print(f"{name}: {value.dtype}{list(value.shape)}{weak} {flat!r}")


def jaxpr(name, f, *args):
    print(f"{name} jaxpr:\n{jax.make_jaxpr(f)(*args)}")


x5 = jnp.array([-2.0, -0.5, 0.0, 1.5, 3.0], np.float32)
m23 = jnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
v3 = jnp.array([10.0, 20.0, 30.0], np.float32)
t234 = jnp.array(np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 5.0)
i23 = jnp.array([[3, -1, 4], [1, -5, 9]], np.int32)

poly = lambda x: x * x + 2.0 * x + 1.0
show("poly", jax.jit(poly)(x5))
jaxpr("poly", poly, x5)


def softmax(x):
    e = jnp.exp(x - jnp.max(x))
    return e / jnp.sum(e)


show("softmax", jax.jit(softmax)(x5))
show("broadcast_add", m23 + v3)
jaxpr("broadcast_add", lambda a, b: a + b, m23, v3)
show("sum_all", jnp.sum(t234))
show("sum_0", jnp.sum(t234, 0))
show("sum_neg1", jnp.sum(t234, -1))
show("sum_0_2", jnp.sum(t234, (0, 2)))
show("mean_1", jnp.mean(m23, 1))
show("mean_int", jnp.mean(i23))
show("max_0", jnp.max(i23, 0))
show("min_all", jnp.min(t234))
show("prod_1", jnp.prod(m23, 1))
show("argmax_1", jnp.argmax(i23, 1))
show("argmin_all", jnp.argmin(i23))
show("any_gt", jnp.any(m23 > 5.5))
show("all_gt_0", jnp.all(m23 > 1.5, 0))
show("sum_bool", jnp.sum(m23 > 2.5))
show("dot_vv", jnp.dot(v3, v3))
show("dot_mv", jnp.dot(m23, v3))
show("dot_mm", m23.dot(m23.T))
b223 = jnp.array(np.arange(12, dtype=np.float32).reshape(2, 2, 3))
b232 = jnp.array(np.arange(12, dtype=np.float32).reshape(2, 3, 2) * 0.5)
show("matmul_batched", jnp.matmul(b223, b232))
show("matmul_vec_batched", jnp.matmul(v3, b232))
show("reshape_transpose", m23.reshape(3, 2).T)
show("reshape_neg1", jnp.reshape(t234, (4, -1)))
show("transpose_axes", jnp.transpose(t234, (1, 0, 2))[0])
show("broadcast_to", jnp.broadcast_to(v3, (2, 3)))
show("expand_squeeze", jnp.squeeze(jnp.expand_dims(v3, 0), 0) + jnp.expand_dims(v3, 1).sum())
show("slice", x5[1:3])
show("at", m23[1])
show("at_neg", m23[-1])
show("slice_axis", m23[:, 0:2])
show("arange", jnp.arange(5))
show("arange_f", jnp.arange(4.0))
show("linspace", jnp.linspace(0.0, 1.0, 5))
show("linspace_7", jnp.linspace(-1.0, 2.0, 7))
show("zeros", jnp.zeros((2, 3), jnp.float32))
show("ones_i", jnp.ones((3,), jnp.int32))
show("full", jnp.full((2,), 7.0))
show("eye", jnp.eye(3))
show("concatenate", jnp.concatenate([v3, x5], 0))
show("concatenate_1", jnp.concatenate([m23, m23], 1))
show("stack_1", jnp.stack([v3, v3 * 2.0], 1))
show("int_plus_float", i23 + 1.5)
show("int_times_int", i23 * 2)
show("where", jnp.where(x5 > 0.0, x5, 0.0))
show("clip", jnp.clip(x5, -1.0, 1.0))
show("maximum_bcast", jnp.maximum(m23, v3 / 10.0 + 1.0))
show("divide_int", jnp.divide(i23, 2))
show("floor_divide_int", jnp.floor_divide(i23, 2))
show("scalar_times_array", jax.jit(lambda s, a: s * a)(np.float32(3.0), v3))
show("sin_int", jnp.sin(jnp.array([0, 1, 2], np.int32)))
show("cast", (x5 * 1.7).astype(jnp.int32))

from jax import lax

carry, ys = jax.jit(lambda xs: lax.scan(lambda c, x: (c + x, c + x), 0.0, xs))(jnp.arange(5.0))
show("scan_carry", carry)
show("scan_ys", ys)


def two_xs(a, b):
    def step(c, xy):
        x, y = xy
        s, p = c
        return (s + jnp.sum(x * y), p * 0.5 + y), (x - y, s)
    return lax.scan(step, (0.0, jnp.zeros(3, jnp.float32)), (a, b))


(s, p), (d, prev) = jax.jit(two_xs)(m23, m23 * 0.5)
show("scan2_s", s)
show("scan2_p", p)
show("scan2_d", d)
show("scan2_prev", prev)
m34 = jnp.arange(12.0, dtype=jnp.float32).reshape(3, 4)
for i in [0, 2, 4, 5, 100, -1, -2, -100]:
    show(f"dynamic_index_{i}", jax.jit(lambda x, i: lax.dynamic_index_in_dim(x, i, keepdims=False))(m34, i))
for i, j in [(0, 0), (2, 3), (-1, 1), (5, -3)]:
    show(f"dynamic_slice_{i}_{j}", jax.jit(lambda x, i, j: lax.dynamic_slice(x, (i, j), (2, 2)))(m34, i, j))
for i in [0, 3, 4, -1, 10]:
    show(f"dynamic_update_slice_{i}", jax.jit(lambda x, u, i: lax.dynamic_update_slice(x, u, (i,)))(x5, jnp.array([10.0, 20.0], jnp.float32), i))
for i in [0, 4, 5, -1, -6, 100]:
    show(f"at_set_{i}", jax.jit(lambda x, i: x.at[i].set(9.0))(x5, i))
    show(f"at_add_{i}", jax.jit(lambda x, i: x.at[i].add(9.0))(x5, i))
show("at_set_row", jax.jit(lambda m, i: m.at[i].set(jnp.array([7.0, 8.0, 9.0])))(m23, 1))
show("fori_array", jax.jit(lambda v, n: lax.fori_loop(0, n, lambda i, a: a * 2.0 + i, v))(v3, 3))
show("cond_array", jax.jit(lambda p, v: lax.cond(p, lambda: v * 2.0, lambda: -v))(True, v3))

jax.config.update("jax_enable_x64", True)
show("f64_sum", jnp.sum(jnp.array([0.1, 0.2, 0.3], np.float64)))
show("i64_dot", jnp.dot(jnp.array([1 << 40, 3], np.int64), jnp.array([2, 5], np.int64)))
