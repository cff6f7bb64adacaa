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
/// and runs compiled native code afterwards. See the `jit` crate's docs.
#[proc_macro_attribute]
pub fn jit(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = parse_macro_input!(args as attr::JitArgs);
    let item = parse_macro_input!(item as syn::ItemFn);
    expand::expand(args, item).into()
}

/// `#[derive(Pytree)]`: lets a struct of tracers be a `lax` loop carry or a
/// branch result. See the `jit` crate's docs.
#[proc_macro_derive(Pytree)]
pub fn derive_pytree(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    pytree::derive(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `jit_fn!(|x: f32| body)`: a closure traced and compiled like a `#[jit]`
/// function, with its own cache. See the `jit` crate's docs.
#[proc_macro]
pub fn jit_fn(input: TokenStream) -> TokenStream {
    let closure = parse_macro_input!(input as syn::ExprClosure);
    closure::expand(closure).into()
}
