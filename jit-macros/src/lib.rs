//! Procedural macros of the `jit` crate: `#[jit]` on functions, `jit_fn!`
//! on closures and `#[derive(Pytree)]` (`pytree.rs`), re-exported by the facade.
//!
//! The pipeline, one file each: `attr` (parse the attribute) -> `analysis`
//! (which bindings are traced) -> `rules` (the purity rules: compile errors
//! at the offending expression) -> `rewrite` (turn the body into a staged
//! body, with the type-level `guards` of the rules) -> `expand` / `closure` (emit the wrapper, cache and companions).
//! `paths` builds every `::jit::__private::...` path the output names;
//! `types` says which Rust types are traced scalars; `errors` collects the
//! errors of one expansion, so one compile reports every mistake.
//!
//! Why `jit_fn!` and not `jit!`: attribute and function-like macros share one
//! macro namespace, so one module cannot export both under the name `jit`, and
//! a name imported by a glob resolves to a single macro of either kind.

mod analysis;
mod attr;
mod closure;
mod derivatives;
mod errors;
mod expand;
mod guards;
mod paths;
mod pytree;
mod rewrite;
mod rules;
#[cfg(test)]
mod test_util;
mod types;

use proc_macro::TokenStream;
use syn::parse_macro_input;

/// Traces the function into a graph on its first call with a new signature
/// and runs compiled native code afterwards, as `jax.jit`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x.sin() + x.cos()
/// }
///
/// # fn main() {
/// assert_eq!(f(2.0), 0.49315056); // JAX: Array(0.49315056, dtype=float32)
/// assert_eq!(f::cache_size(), 1); // compiled once, for `f32[]`
/// # }
/// ```
///
/// # Traced parameters, signatures and the cache
///
/// Parameters of type `f32`, `f64`, `i32`, `i64`, `u32`, `bool`, `Array` and
/// `&Array`, and pytrees of them (tuples, `[T; N]`, `Vec<T>`,
/// `#[derive(Pytree)]` structs), are *traced*: inside the body they are
/// `Tracer`s, and the function's outward signature is unchanged. The first
/// call with a new *signature* (every traced argument's dtype and shape, every
/// static argument's value) traces the body, optimises the graph, assembles
/// native code and caches it; later calls with that signature run the code.
/// A `#[jit]` function called inside another `#[jit]` body is inlined into
/// the caller's trace.
///
/// # Static arguments
///
/// `#[jit(static = n)]` (or `static = (n, m)`) makes parameters plain Rust
/// values inside the body, as JAX's `static_argnums`: Rust `for`, `if` and
/// `match` on them run while tracing, and each new value compiles a new
/// specialisation. A static parameter's type is `Clone + Eq + Hash + Send +
/// Sync + 'static`.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit(static = n)]
/// fn f_loop(x: f32, n: usize) -> f32 {
///     let mut y = 0.0;
///     for _ in 0..n {
///         y = y + x; // unrolled while tracing
///     }
///     y
/// }
///
/// # fn main() {
/// assert_eq!(f_loop(2.0, 10), 20.0);
/// assert_eq!(f_loop(2.0, 11), 22.0); // a new value of n: compiled again
/// assert_eq!(f_loop::cache_size(), 2);
/// # }
/// ```
///
/// A loop whose trip count is only known at run time is
/// `lax::fori_loop`, and a branch on a traced value `lax::cond`: see
/// `jit::lax`.
///
/// # The companion module
///
/// Beside the function the macro emits a module of the same name with:
///
/// | function | what it gives |
/// |---|---|
/// | `f::cache_size() -> usize` | compiled specialisations so far |
/// | `f::clear_cache()` | drops them; the next call traces again |
/// | `f::cache_misses() -> Vec<String>` | why each compile after the first happened: the arguments that changed (`x: f32[3] -> f32[4]`, `n: 10 -> 11`) |
/// | `f::make_jaxpr(args…) -> Jaxpr` | the traced graph; `Display` prints JAX's jaxpr |
/// | `f::lower(args…) -> Lowered` | traces and optimises without caching: `.as_text()` is the optimised IR, `.compile()` gives a `Compiled`, whose `.as_text()` is the disassembly and `.code_size()` its length in bytes |
/// | `f::grad`, `f::value_and_grad`, `f::jvp`, `f::vjp` | derivatives (below) |
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f32) -> f32 {
///     x.sin() + x.cos()
/// }
///
/// #[jit]
/// fn scaled(x: &Array) -> Array {
///     x * 2.0
/// }
///
/// # fn main() {
/// assert_eq!(
///     f::make_jaxpr(2.0).to_string(),
///     "{ lambda ; a:f32[]. let\n    b:f32[] = sin a\n    c:f32[] = cos a\n    d:f32[] = add b c\n  in (d,) }"
/// );
///
/// let lowered = f::lower(2.0);
/// assert!(!lowered.as_text().is_empty()); // the optimised IR
/// let compiled = lowered.compile();
/// if compiled.is_native() {                    // not under JIT_DISABLE=1
///     assert!(compiled.code_size() > 0);       // bytes of machine code
///     assert!(!compiled.as_text().is_empty()); // their disassembly
/// }
///
/// scaled(&Array::from(vec![1.0f32, 2.0, 3.0]));
/// scaled(&Array::from(vec![1.0f32, 2.0, 3.0, 4.0]));
/// assert_eq!(scaled::cache_size(), 2);
/// assert_eq!(scaled::cache_misses(), vec!["x: f32[3] -> f32[4]".to_string()]);
/// scaled::clear_cache();
/// assert_eq!(scaled::cache_size(), 0);
/// # }
/// ```
///
/// # Derivatives
///
/// A function whose result is a float scalar also gets `f::grad(args…)`
/// (`jax.grad`: the gradient with respect to the first traced parameter,
/// of that parameter's type and structure) and `f::value_and_grad(args…)`;
/// one whose result is a float scalar or an `Array` gets
/// `f::jvp((args…), (tangents…))` (`jax.jvp`: the value and the derivative
/// in the direction of one tangent per traced parameter) and `f::vjp(args…)`
/// (`jax.vjp`: the value and a pullback from the result's cotangent to the
/// traced parameters' cotangents, a tuple; for functions whose traced
/// parameters are scalars or arrays, or references to them).
/// `#[jit(wrt = (a, b))]` makes `grad` differentiate with respect to the
/// named parameters (a tuple of gradients). Each is compiled
/// once per signature, and inside another `#[jit]` body it is inlined, so a
/// training step that calls `loss::grad` is one native function.
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn f(x: f64, y: f64) -> f64 {
///     x * x * y + y.sin()
/// }
///
/// #[jit]
/// fn descend(x: f64, y: f64) -> f64 {
///     x - 0.1 * f::grad(x, y) // inlined and differentiated in this trace
/// }
///
/// # fn main() {
/// assert_eq!(f::grad(3.0, 2.0), 12.0); // d/dx = 2xy
/// assert_eq!(f::value_and_grad(3.0, 2.0), (f(3.0, 2.0), 12.0));
/// // The derivative along (1, 0) is d/dx; along (0, 1), d/dy = x² + cos y.
/// assert_eq!(f::jvp((3.0, 2.0), (1.0, 0.0)).1, 12.0);
/// assert_eq!(f::jvp((3.0, 2.0), (0.0, 1.0)).1, 9.0 + 2.0f64.cos());
/// assert_eq!(descend(3.0, 2.0), 3.0 - 0.1 * 12.0);
/// let (value, pullback) = f::vjp(3.0, 2.0);
/// assert_eq!(value, f(3.0, 2.0));
/// assert_eq!(pullback(1.0), (12.0, 9.0 + 2.0f64.cos()));
/// # }
/// ```
///
/// # Errors
///
/// A mistake found while tracing (shapes that do not broadcast, a loop
/// carry whose type changes) panics with a message naming the function. A
/// function declared `-> Result<T, jit::Error>` returns it as `Err`
/// instead, and `?` works in its body:
///
/// ```
/// use jit::prelude::*;
///
/// #[jit]
/// fn add(x: &Array, y: &Array) -> Result<Array, jit::Error> {
///     Ok(x + y)
/// }
///
/// # fn main() {
/// let a = Array::from(vec![1.0f32, 2.0, 3.0]);
/// let b = Array::from(vec![1.0f32, 2.0]);
/// assert!(add(&a, &a).is_ok());
/// assert!(add(&a, &b).is_err()); // `(3,)` and `(2,)` do not broadcast
/// # }
/// ```
///
/// # Purity rules
///
/// The body runs once per signature, while tracing, so it must be pure, and
/// Rust control flow cannot depend on a traced value. `if`, `while` and
/// `match` on traced values, `for` over a traced range, `&&` and `||`,
/// `as usize` and indexing with a tracer, `println!` and friends, `&mut`
/// parameters and `static mut` are compile errors at the offending
/// expression, naming the staged replacement (`lax::cond`,
/// `lax::while_loop`, `lax::fori_loop`, `lax::switch`, `lax::select`,
/// `lax::dynamic_index`, `jit::debug_print!`):
///
/// ```compile_fail
/// use jit::prelude::*;
///
/// #[jit]
/// fn relu(x: f32) -> f32 {
///     if x > 0.0 { x } else { 0.0 } // error: use `lax::cond` or `lax::select`
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn jit(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = parse_macro_input!(args as attr::JitArgs);
    let item = parse_macro_input!(item as syn::ItemFn);
    expand::expand(args, item).into()
}

/// `#[derive(Pytree)]`: lets a struct of tracers be a `lax` loop carry or a
/// branch result, and a struct of arrays a `#[jit]` parameter or result.
///
/// A struct whose fields are `Tracer`s (or tuples, `[T; N]` and `Vec`s of
/// them) is its own traced form: it can be a loop carry or a branch result.
///
/// ```
/// use jit::prelude::*;
///
/// #[derive(Pytree, Clone, Copy)]
/// struct Particle {
///     x: Tracer,
///     v: Tracer,
/// }
///
/// #[jit]
/// fn fall(g: f32, n: i32) -> (f32, f32) {
///     let start = Particle { x: Tracer::from(0.0f32), v: Tracer::from(0.0f32) };
///     let p = lax::fori_loop(0, n, |_i, p: Particle| Particle { x: p.x + p.v, v: p.v + g }, start);
///     (p.x, p.v)
/// }
///
/// # fn main() {
/// assert_eq!(fall(1.0, 4), (6.0, 4.0));
/// # }
/// ```
///
/// A generic struct whose type parameter defaults to `Array` holds arrays
/// outside a trace and tracers inside one (`Params<Tracer>`), so one type
/// serves as a `#[jit]` parameter and result:
///
/// ```
/// use jit::prelude::*;
///
/// #[derive(Pytree, Clone)]
/// struct Params<T = Array> {
///     w: T,
///     b: T,
/// }
///
/// #[jit]
/// fn predict(p: &Params, x: &Array) -> Array {
///     x.dot(p.w) + p.b
/// }
///
/// #[jit]
/// fn step(p: Params, lr: f32) -> Params {
///     Params { w: p.w * (1.0 - lr), b: p.b + lr }
/// }
///
/// # fn main() -> Result<(), jit::Error> {
/// let p = Params { w: Array::from_shape_vec(&[2, 1], vec![1.0f32, 2.0])?, b: Array::from(vec![0.5f32]) };
/// let x = Array::from_shape_vec(&[1, 2], vec![3.0f32, 4.0])?;
/// assert_eq!(predict(&p, &x).to_vec::<f32>()?, vec![11.5]);
/// let p = step(p, 0.5);
/// assert_eq!(p.w.to_vec::<f32>()?, vec![0.5, 1.0]);
/// assert_eq!(p.b.to_vec::<f32>()?, vec![1.0]);
/// # Ok(())
/// # }
/// ```
#[proc_macro_derive(Pytree)]
pub fn derive_pytree(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    pytree::derive(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `jit_fn!(|x: f32| body)`: a closure traced and compiled like a `#[jit]`
/// function, with its own cache, as `jax.jit(f)` on a lambda.
///
/// Parameters need type annotations (they decide what is traced); the
/// result is an `impl Fn` taking and returning plain values. (An attribute
/// macro and a function-like macro share one namespace, so this cannot also
/// be called `jit!`.)
///
/// ```
/// use jit::prelude::*;
///
/// let f = jit_fn!(|x: f32| x.sin() + x.cos());
/// assert_eq!(f(2.0), 0.49315056);
///
/// let g = jit_fn!(|x: f64, k: i32| x * (k as f64) + 1.5);
/// assert_eq!(g(2.0, 3), 7.5);
///
/// let norm = jit_fn!(|v: &Array| jnp::sum(v * v, ..).sqrt());
/// assert_eq!(norm(&Array::from(vec![3.0f32, 4.0])).item::<f32>(), Ok(5.0));
/// ```
#[proc_macro]
pub fn jit_fn(input: TokenStream) -> TokenStream {
    let closure = parse_macro_input!(input as syn::ExprClosure);
    closure::expand(closure).into()
}
