"""JAX 0.10.2's values for tests/derivatives.rs: gradients of a few
functions and fifty SGD steps of a small MLP. Run with
`python3 tests/derivatives_jax.py > tests/derivatives_jax.txt`.

Each output line is `name: v0 v1 ...` with values printed by repr (shortest
round-trip), in row-major order.
"""
import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)


def emit(name, values):
    flat = jnp.ravel(jnp.asarray(values)).tolist()
    print(f"{name}: " + " ".join(repr(float(v)) for v in flat))


x64 = jnp.array([[0.3, -1.2, 0.7], [1.9, -0.4, 0.25]], dtype=jnp.float64)


def elementwise(x):
    y = jnp.sin(x) * jnp.cos(x) + jnp.tanh(x) - jnp.exp(x * 0.5) + jnp.log(x * x + 1.0)
    z = jnp.sqrt(x * x + 0.1) / (jnp.abs(x) + 2.0) + jnp.tan(x * 0.3) - (1.0 / x) * 0.01
    return jnp.sum(y + z + x**3 - x ** (-2) * 0.001)


def choices(x):
    m = jnp.maximum(x, 0.1) + jnp.minimum(x * 2.0, 0.5)
    w = jnp.where(x > 0.0, x * 3.0, -x)
    c = jnp.clip(x, -1.0, 1.0)
    return jnp.sum(m * w + c + jnp.floor(x))


def ties(x):
    # max and min at ties split the cotangent; reduce_max shares it.
    return jnp.sum(jnp.maximum(x, 0.25)) + jnp.max(jnp.array([x[0, 0], x[0, 0], x[1, 1]]))


def inverse_hyperbolic(x):
    u = x * 0.4
    trig = (jnp.arcsin(u) + jnp.arccos(u) * 0.5 + jnp.arctan(x) + jnp.arctan2(x, x * x + 0.5)
            + jnp.arctan2(x * 0.3 - 0.6, x))
    hyp = (jnp.sinh(x) + jnp.cosh(x) * 0.5 + jnp.arcsinh(x) + jnp.arccosh(x * x + 1.5)
           + jnp.arctanh(u))
    h = jnp.hypot(x, 0.7 - x * 0.5) + jnp.hypot(2.0, x)
    n = jnp.arcsin(u) * jnp.arctan2(1.5, x) + jnp.arccosh(x * x + 2.0) * jnp.arctanh(u)
    return jnp.sum(trig + hyp + h + n)


emit("grad_elementwise", jax.grad(elementwise)(x64))
emit("grad_choices", jax.grad(choices)(x64))
emit("grad_ties", jax.grad(ties)(x64))
emit("grad_inverse_hyperbolic", jax.grad(inverse_hyperbolic)(x64))


def loss(p, x, y):
    h = jnp.tanh(x @ p["w1"] + p["b1"])
    out = h @ p["w2"] + p["b2"]
    e = out - y
    return jnp.mean(e * e)


@jax.jit
def step(p, x, y):
    g = jax.grad(loss)(p, x, y)
    return {k: p[k] - 0.1 * g[k] for k in p}


def data(n, scale, shift, shape):
    return (jnp.arange(n, dtype=jnp.float32) * scale + shift).reshape(shape)


p = {
    "w1": jnp.sin(data(12, 0.7, 0.1, (3, 4))) * 0.5,
    "b1": jnp.zeros((4,), jnp.float32),
    "w2": jnp.cos(data(8, 0.9, 0.2, (4, 2))) * 0.5,
    "b2": jnp.zeros((2,), jnp.float32),
}
x = jnp.sin(data(24, 0.37, 0.0, (8, 3)))
y = jnp.cos(data(16, 0.23, 0.5, (8, 2)))
for k in ("w1", "b1", "w2", "b2"):
    emit(f"mlp_{k}", p[k])
emit("mlp_x", x)
emit("mlp_y", y)
emit("mlp_grad_w1", jax.grad(loss)(p, x, y)["w1"])
losses = []
for _ in range(50):
    losses.append(loss(p, x, y))
    p = step(p, x, y)
losses.append(loss(p, x, y))
emit("mlp_losses", jnp.array(losses))
emit("mlp_w2_after_50", p["w2"])
