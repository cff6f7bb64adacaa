//! `jit` does for Rust what `jax.jit` does for Python. Put [`#[jit]`](macro@jit)
//! on a plain numeric Rust function: its first call with a new signature traces
//! the body into a graph, optimises it and assembles native x86-64 or AArch64
//! code; later calls run that code directly.
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn f(x: f32) -> f32 {
//!     x.sin() + x.cos()
//! }
//!
//! # fn main() {
//! assert_eq!(f(2.0), 0.49315056); // JAX: Array(0.49315056, dtype=float32)
//! println!("{}", f::make_jaxpr(2.0));
//! // { lambda ; a:f32[]. let
//! //     b:f32[] = sin a
//! //     c:f32[] = cos a
//! //     d:f32[] = add b c
//! //   in (d,) }
//! # }
//! ```
//!
//! `use jit::prelude::*;` brings the attribute [`jit`](macro@jit), the
//! closure form [`jit_fn!`], [`lax`] (staged control flow), `jnp` (the
//! [`numpy`] module), [`Array`], [`DType`], [`Tracer`] and
//! [`Pytree`](trait@Pytree) (the trait and its derive).
//!
//! # Tracing
//!
//! Inside a `#[jit]` body the parameters are [`Tracer`]s: handles to values
//! of the graph being built, whose dtype and shape are known and whose values
//! are not. Operators and `f32`-named methods on them record operations. The
//! body runs once per signature (the dtypes and shapes of the traced
//! arguments, and the values of static ones), so only pure functions can be
//! jitted: a side effect happens while tracing, not on every call.
//! [`trace_print!`] makes that visible on purpose:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn bad_f(x: f32) -> f32 {
//!     jit::trace_print!("I have side effects!"); // printed on the first call only
//!     x.sin() + x.cos() + x
//! }
//!
//! # fn main() {
//! bad_f(2.0); // traces, prints, compiles
//! bad_f(3.0); // runs the cached code: prints nothing
//! assert_eq!(bad_f::cache_size(), 1);
//! # }
//! ```
//!
//! [`debug_print!`] instead prints run-time values on every call:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn g(x: f32) -> f32 {
//!     let y = x * 2.0;
//!     jit::debug_print!("y = {}", y); // every call: y = 4, then y = 6
//!     y + 1.0
//! }
//!
//! # fn main() {
//! assert_eq!(g(2.0), 5.0);
//! assert_eq!(g(3.0), 7.0);
//! # }
//! ```
//!
//! A `for` loop whose trip count is a Rust value unrolls while tracing. Mark
//! such a parameter static: each new value compiles a new specialisation, as
//! `static_argnums` does in JAX.
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit(static = n)]
//! fn f_loop(x: f32, n: usize) -> f32 {
//!     let mut y = 0.0;
//!     for _ in 0..n {
//!         y = y + x;
//!     }
//!     y
//! }
//!
//! # fn main() {
//! assert_eq!(f_loop(2.0, 10), 20.0);
//! assert_eq!(f_loop(2.0, 11), 22.0); // compiled again for n = 11
//! assert_eq!(f_loop::cache_size(), 2);
//! assert_eq!(f_loop::cache_misses(), vec!["n: 10 -> 11".to_string()]);
//! # }
//! ```
//!
//! Closures are jitted with [`jit_fn!`] (Rust cannot give an attribute macro
//! and a function-like macro the one name `jit`):
//!
//! ```
//! use jit::prelude::*;
//!
//! let g = jit_fn!(|x: f64, k: i32| x * (k as f64) + 1.5);
//! assert_eq!(g(2.0, 3), 7.5);
//! ```
//!
//! # Staged control flow: `lax`
//!
//! Rust `if`, `while`, `for` and `match` on a traced value do not compile
//! inside a `#[jit]` body (the error names the replacement). A loop or branch
//! whose trip count or condition is only known at run time is written with
//! [`lax`], as in JAX; it becomes one native loop or branch, and a new trip
//! count never recompiles:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn fori(x: f32, n: i32) -> f32 {
//!     lax::fori_loop(0, n, |_i, y| y + x, 0.0)
//! }
//!
//! #[jit]
//! fn sum_up_to(x: i32) -> i32 {
//!     lax::while_loop(|(_, n)| n <= x, |(s, n)| (s + n, n + 1), (0, 1)).0
//! }
//!
//! #[jit]
//! fn myabs(x: i32) -> i32 {
//!     lax::cond(x > 0, || x, || -x)
//! }
//!
//! #[jit]
//! fn pick(i: i32, x: f32) -> f32 {
//!     lax::switch(i, (|| x + 1.0, || x * 2.0, || -x)) // i is clamped, as in JAX
//! }
//!
//! # fn main() {
//! assert_eq!(fori(2.0, 10), 20.0);
//! assert_eq!(fori(2.0, 1000), 2000.0); // the same compiled loop
//! assert_eq!(fori::cache_size(), 1);
//! assert_eq!(sum_up_to(10), 55);
//! assert_eq!(myabs(-4), 4);
//! assert_eq!(pick(7, 3.0), -3.0);
//! # }
//! ```
//!
//! Loop carries and branch results are any [`Pytree`](trait@Pytree):
//! tracers, Rust scalars, arrays, tuples, `[T; N]`, `Vec`s and structs with
//! `#[derive(Pytree)]`.
//!
//! # Arrays and `jnp`
//!
//! [`Array`] is an owned, immutable n-dimensional value, like `jax.Array`.
//! A parameter of type `Array` or `&Array` is traced; its dtype and shape are
//! part of the signature, so a new shape compiles a new specialisation.
//! Operators broadcast by NumPy's rules, [`numpy`] (`jnp`) has NumPy's names
//! and JAX's semantics, and `Display` prints what JAX prints:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn poly(x: &Array) -> Array {
//!     x * x + 2.0 * x + 1.0
//! }
//!
//! #[jit]
//! fn softmax(x: &Array) -> Array {
//!     let e = (x - jnp::max(x, ..)).exp();
//!     e / jnp::sum(e, ..)
//! }
//!
//! #[jit]
//! fn cumsum(xs: &Array) -> Array {
//!     lax::scan(|c, x| (c + x, c + x), 0.0, xs).1
//! }
//!
//! # fn main() -> Result<(), jit::Error> {
//! let x = Array::from(vec![1.0f32, 2.0, 3.0]);
//! assert_eq!(poly(&x).to_string(), "Array([ 4.,  9., 16.], dtype=float32)");
//! assert_eq!(cumsum(&x).to_vec::<f32>()?, vec![1.0, 3.0, 6.0]);
//!
//! let p: Vec<f32> = softmax(&x).to_vec()?;
//! assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
//!
//! let m = Array::from_shape_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
//! assert_eq!(m.shape(), &[2, 3]);
//! assert_eq!(poly(&m).shape(), &[2, 3]); // a second specialisation
//! # Ok(())
//! # }
//! ```
//!
//! Parameters and results may be pytrees of arrays and scalars: tuples,
//! `[T; N]`, `Vec<T>` and generic `#[derive(Pytree)]` structs, whose traced
//! form holds tracers:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[derive(Pytree, Clone)]
//! struct Params<T = Array> {
//!     w: T,
//!     b: T,
//! }
//!
//! #[jit]
//! fn predict(p: &Params, x: &Array) -> Array {
//!     (x.dot(p.w) + p.b).tanh()
//! }
//!
//! #[jit]
//! fn loss(p: &Params, x: &Array, y: &Array) -> f32 {
//!     let e = predict(p, x) - y; // a #[jit] call inside a body is inlined
//!     jnp::mean(e * e, ..)
//! }
//!
//! # fn main() -> Result<(), jit::Error> {
//! let p = Params {
//!     w: Array::from_shape_vec(&[2, 1], vec![0.0f32, 0.0])?,
//!     b: Array::from(vec![0.0f32]),
//! };
//! let x = Array::from_shape_vec(&[3, 2], vec![1.0f32, 2.0, 3.0, 4.0, -1.0, 0.5])?;
//! let y = Array::from_shape_vec(&[3, 1], vec![1.0f32, -1.0, 1.0])?;
//! assert_eq!(loss(&p, &x, &y), 1.0);
//! # Ok(())
//! # }
//! ```
//!
//! # Types
//!
//! The dtypes are `f32`, `f64`, `i32`, `i64`, `u32` and `bool` ([`DType`]),
//! promoted by JAX's lattice. An unsuffixed literal written in a body (`2.0`,
//! `1`) is *weak*, as a Python scalar in JAX: it takes the dtype of the tracer
//! it meets. A value whose Rust type is known (a suffixed literal `1.0f64`, a
//! typed binding, a static argument) is strong, with that dtype:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn typed(x: f32) -> (f32, f64) {
//!     (x * 2.0, x * 2.0f64) // weak: f32; strong f64: f64
//! }
//!
//! # fn main() {
//! assert_eq!(typed(1.5), (3.0, 3.0));
//! # }
//! ```
//!
//! Integer arithmetic wraps, integer division never traps (`x / 0 == -1`,
//! `x % 0 == x`, as XLA's CPU backend gives), float-to-integer casts saturate
//! (NaN gives 0), and the `f32`-named methods keep Rust's meaning
//! (`x.round()` rounds half away from zero, `x.max(y)` skips a NaN operand)
//! while `jnp` has JAX's (`jnp::maximum` propagates NaN).
//!
//! # Errors
//!
//! A mistake visible in the source (a Rust `if` on a traced value,
//! `println!` in a body, ...) is a compile error pointing at it. A mistake
//! found while tracing (shapes that do not broadcast, a loop carry whose type
//! changes) panics with a message naming the function, or, for a function
//! declared `-> Result<T, jit::Error>`, comes back as [`Error`]:
//!
//! ```
//! use jit::prelude::*;
//!
//! #[jit]
//! fn grows(x: f32, n: i32) -> Result<f32, jit::Error> {
//!     let (a, _) = lax::fori_loop(0, n, |_i, (a, b)| (a, b as f64), (x, x));
//!     Ok(a)
//! }
//!
//! # fn main() {
//! let err = grows(1.0, 3).unwrap_err();
//! assert!(err.to_string().contains("`lax::fori_loop`"));
//! # }
//! ```
//!
//! # Inspecting and configuring
//!
//! Each `#[jit]` function has a companion module of the same name:
//! `f::cache_size()`, `f::clear_cache()`, `f::cache_misses()`,
//! `f::make_jaxpr(args…)` and `f::lower(args…)` (the optimised IR, and with
//! `.compile()` the machine code); see [`macro@jit`]. The environment
//! variables `JIT_LOG_COMPILES=1`, `JIT_DUMP=DIR`, `JIT_DISABLE=1` and
//! `JIT_ISA=baseline`, and their setters in [`config`], log compiles, dump
//! each compile's stages, run the reference interpreter instead of native
//! code, and keep to the ISA's baseline.
//!
//! `ARCHITECTURE.md` in the repository maps the crates and the compile
//! pipeline.

// `#[jit]` on functions, `jit_fn!` on closures. They cannot share the name
// `jit`: attribute and function-like macros live in one macro namespace, so a
// module (and a glob import of it) holds one macro of that name, of one kind.
pub use jit_macros::{Pytree, jit, jit_fn};
pub use jit_runtime::*;

/// The names most programs want: `use jit::prelude::*;` brings the
/// attribute `jit`, `jit_fn!`, `lax`, `jnp` (the `numpy` module), `Array`,
/// `DType`, `Tracer` and `Pytree`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn norm(v: &Array) -> f32 {
///     jnp::sum(v * v, ..).sqrt()
/// }
///
/// # fn main() {
/// assert_eq!(norm(&Array::from(vec![3.0f32, 4.0])), 5.0);
/// assert_eq!(Array::scalar(1.0f32).dtype(), DType::F32);
/// # }
/// ```
pub mod prelude {
    pub use jit_macros::{Pytree, jit, jit_fn};
    pub use jit_runtime::prelude::*;
}
