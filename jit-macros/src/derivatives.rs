//! The derivative companions of a `#[jit]` function whose result is a float
//! scalar: `f::grad` and `f::value_and_grad`, differentiating with respect
//! to the first traced parameter.
//!
//! Each is a `#[jit]` function of its own, with the same parameters and
//! the same two call modes as the wrapper (`expand.rs`): with plain values
//! it looks up or compiles its own cache's specialisation; with tracers
//! (called inside another `#[jit]` body) it inlines into that trace, so a
//! training step that calls `loss::grad` compiles to one function. Its
//! staged body runs the function's staged body in the current trace and
//! hands the result to the runtime's reverse mode (`__private::grad`).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, Type};

use crate::paths;

/// What `expand.rs` has computed for the wrapper, reused here.
pub struct Wrapper<'a> {
    pub name_str: &'a str,
    pub generic_params: &'a Option<TokenStream>,
    pub mode_ty: &'a TokenStream,
    pub wrapper_params: &'a [TokenStream],
    pub to_tracer_args: &'a [TokenStream],
    pub concrete_args: &'a [TokenStream],
    pub staged_params: &'a [TokenStream],
    pub plain_params: &'a [TokenStream],
    pub all_idents: &'a [&'a Ident],
    pub traced_tys: &'a TokenStream,
    pub static_tys: &'a TokenStream,
    pub traced_idents: &'a TokenStream,
    pub traced_vals: &'a TokenStream,
    pub static_vals: &'a TokenStream,
    pub cache_params: &'a TokenStream,
    /// The declared result type (a float scalar).
    pub ret: &'a Type,
    /// The first traced parameter, and the type of its gradient.
    pub wrt: &'a Ident,
    pub grad_ty: Type,
}

/// `grad` and `value_and_grad` in the companion module.
pub fn companions(w: &Wrapper<'_>) -> TokenStream {
    let (grad_ty, ret) = (&w.grad_ty, w.ret);
    let grad = one(
        w,
        "grad",
        quote!(#grad_ty),
        paths::grad(),
        &format!(
            "The gradient of [`{0}`](super::{0}) with respect to its first traced parameter \
             (`jax.grad`), with that parameter's type and structure.",
            w.name_str
        ),
    );
    let value_and_grad = one(
        w,
        "value_and_grad",
        quote!((#ret, #grad_ty)),
        paths::value_and_grad(),
        &format!(
            "[`{0}`](super::{0})'s value and its gradient with respect to its first traced \
             parameter (`jax.value_and_grad`).",
            w.name_str
        ),
    );
    quote!(#grad #value_and_grad)
}

/// One derivative companion named `name`, returning `out`, whose staged
/// body calls the runtime's `helper`.
fn one(
    w: &Wrapper<'_>,
    name: &str,
    out: TokenStream,
    helper: TokenStream,
    doc: &str,
) -> TokenStream {
    let (mode, jit_return, inline, call, cache) = (
        paths::mode(),
        paths::jit_return(),
        paths::inline(),
        paths::call(),
        paths::cache(),
    );
    let func = Ident::new(name, Span::call_site());
    let staged = Ident::new(&format!("__{name}_staged"), Span::call_site());
    let call_fn = Ident::new(&format!("__{name}_call"), Span::call_site());
    let cache_ident = Ident::new(
        &format!("__{}_CACHE", name.to_uppercase()),
        Span::call_site(),
    );
    let cache_name = format!("{}::{name}", w.name_str);
    let Wrapper {
        generic_params,
        mode_ty,
        wrapper_params,
        to_tracer_args,
        concrete_args,
        staged_params,
        plain_params,
        all_idents,
        traced_tys,
        static_tys,
        traced_idents,
        traced_vals,
        static_vals,
        cache_params,
        ret,
        wrt,
        ..
    } = w;
    quote! {
        #[doc = #doc]
        pub fn #func #generic_params (#(#wrapper_params),*) -> <#mode_ty as #mode>::Ret<#out> {
            if <#mode_ty as #mode>::TRACED {
                return <#mode_ty as #mode>::wrap_traced::<#out>(
                    #inline::<#out>(|| #staged(#(#to_tracer_args),*)));
            }
            <#mode_ty as #mode>::wrap_concrete::<#out>(#call_fn(#(#concrete_args),*))
        }

        #[doc(hidden)]
        pub fn #staged(#(#staged_params),*) -> <#out as #jit_return>::Traced {
            #helper::<_, #ret>(#wrt, |#wrt| __staged(#(#all_idents),*))
        }

        static #cache_ident: #cache<#static_tys> = #cache::new(#cache_name) #cache_params;

        #[doc(hidden)]
        pub fn #call_fn(#(#plain_params),*) -> #out {
            #call::<#traced_tys, #static_tys, #out>(
                &#cache_ident, #traced_vals, #static_vals,
                |#traced_idents, #static_vals| #staged(#(#all_idents),*))
        }
    }
}
