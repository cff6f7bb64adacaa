//! Every path the macros emit into user code, built in one place.
//!
//! **Invariant:** generated code names runtime items only through
//! `::jit::__private::...`, never through the user's imports, so an expansion
//! works whatever the user has in scope. Nothing else in this crate spells
//! `__private`.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// `::jit::__private::<name>` with call-site spans.
fn private(name: &str) -> TokenStream {
    let name = syn::Ident::new(name, Span::call_site());
    quote!(::jit::__private::#name)
}

/// The handle type of a traced value inside a staged body.
pub fn tracer() -> TokenStream {
    private("Tracer")
}

/// `trait JitArg<T>`: what a wrapper accepts for a parameter declared `T`.
pub fn jit_arg() -> TokenStream {
    private("JitArg")
}

/// `trait ArgType`: a traced parameter's declared type and its traced form.
pub fn arg_type() -> TokenStream {
    private("ArgType")
}

/// `trait Mode`: whether a call happens inside a trace or with plain values.
pub fn mode() -> TokenStream {
    private("Mode")
}

/// The `Mode` of a call with no traced parameter at all.
pub fn concrete() -> TokenStream {
    private("Concrete")
}

/// `trait JitReturn`: the declared return types and their traced form.
pub fn jit_return() -> TokenStream {
    private("JitReturn")
}

/// `struct Cache<S>`: one function's compiled specialisations.
pub fn cache() -> TokenStream {
    private("Cache")
}

/// `struct Describe`: a static argument's text for recompile explanations.
pub fn describe() -> TokenStream {
    private("Describe")
}

/// Imports of the two traits that give `Describe` its `describe` method
/// (`Debug` or not).
pub fn describe_traits() -> TokenStream {
    let (debug, other) = (private("DescribeDebug"), private("DescribeOther"));
    quote!(use #debug as _; use #other as _;)
}

/// `fn grad`: the staged body of `f::grad`.
pub fn grad() -> TokenStream {
    private("grad")
}

/// `fn value_and_grad`: the staged body of `f::value_and_grad`.
pub fn value_and_grad() -> TokenStream {
    private("value_and_grad")
}

/// `fn jvp`: the staged body of `f::jvp`.
pub fn jvp() -> TokenStream {
    private("jvp")
}

/// `fn vjp_apply`: the staged body of `f::vjp`'s pullback.
pub fn vjp_apply() -> TokenStream {
    private("vjp_apply")
}

/// `fn leaves_of`: a traced parameter's leaves.
pub fn leaves_of() -> TokenStream {
    private("leaves_of")
}

/// `fn call`: look up or compile, then run.
pub fn call() -> TokenStream {
    private("call")
}

/// `fn make_jaxpr`: trace only and return the graph.
pub fn make_jaxpr() -> TokenStream {
    private("make_jaxpr")
}

/// `fn lower::<A, S, R>(&Cache<S>, A, S, staged) -> Lowered`.
pub fn lower() -> TokenStream {
    private("lower")
}

/// `struct Lowered`: the optimised graph and its MIR, before code generation.
pub fn lowered() -> TokenStream {
    private("Lowered")
}

/// `struct Jaxpr`: a printable traced graph.
pub fn jaxpr() -> TokenStream {
    private("Jaxpr")
}

/// `fn weak_float(f64) -> Tracer`.
pub fn weak_float() -> TokenStream {
    private("weak_float")
}

/// `fn weak_int(i64) -> Tracer`.
pub fn weak_int() -> TokenStream {
    private("weak_int")
}

/// `fn lt/le/gt/ge/eq/ne(a, b)`: a staged comparison; `name` is one of those.
pub fn compare(name: &str) -> TokenStream {
    private(name)
}

/// `fn cast::<T>(x)`: a staged `as` conversion.
pub fn cast() -> TokenStream {
    private("cast")
}

/// `jit::Error`, the error type of a fallible `#[jit]` function.
pub fn error() -> TokenStream {
    private("Error")
}

/// `fn inline::<R>(|| staged(..))`: a `#[jit]` call inside another trace.
pub fn inline() -> TokenStream {
    private("inline")
}

/// `fn ret::<R>(v)`: converts a body's result to `<R as JitReturn>::Traced`.
pub fn ret() -> TokenStream {
    private("ret")
}

/// `fn concrete_if / concrete_while / concrete_bound / concrete_range /
/// concrete_range_inclusive`: the purity guards of `rules.rs`, spanned at the
/// user's expression; `name` is one of those.
pub fn guard(name: &str, span: Span) -> TokenStream {
    let name = syn::Ident::new(name, span);
    quote::quote_spanned!(span=> ::jit::__private::#name)
}
