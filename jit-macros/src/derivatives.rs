//! The derivative companions of a `#[jit]` function: `f::grad` and
//! `f::value_and_grad` (float scalar results), differentiating with respect
//! to the first traced parameter (or to those `#[jit(wrt = ..)]` names, a
//! tuple of gradients for `wrt = (a, b)`), and `f::jvp` (float scalar or array
//! results), the derivative in the direction of a tangent per traced
//! parameter.
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

use crate::{paths, types};

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
    /// The parameters gradients are taken with respect to (the first
    /// traced one, or those of `wrt = ..`), their types, and whether the
    /// gradient is a tuple (`wrt = (a, b)`).
    pub wrt: Vec<&'a Ident>,
    pub wrt_forms: Vec<Type>,
    pub wrt_tuple: bool,
    /// Every parameter: name, declared type, whether traced.
    pub params: Vec<(&'a Ident, &'a Type, bool)>,
    /// The wrapper's generic parameter per traced parameter.
    pub generics: &'a [Ident],
}

/// The traced parameters: name and declared type.
fn traced_params<'a>(w: &Wrapper<'a>) -> Vec<(&'a Ident, &'a Type)> {
    w.params
        .iter()
        .filter(|p| p.2)
        .map(|&(i, t, _)| (i, t))
        .collect()
}

/// `value` as the runtime takes it for a parameter declared `ty`: a
/// referenced value is cloned (arrays share their buffers, so this is a
/// reference count).
fn owned(value: &dyn quote::ToTokens, ty: &Type) -> TokenStream {
    if types::is_reference(ty) {
        quote!(::core::clone::Clone::clone(#value))
    } else {
        quote!(#value)
    }
}

/// `f::jvp((args…), (tangents…))`: the value and the derivative in the
/// direction of one tangent per traced parameter (of its type), for a
/// result that is a float scalar or an array.
pub fn jvp(w: &Wrapper<'_>) -> TokenStream {
    let (mode, jit_arg, jit_return, inline, call, cache) = (
        paths::mode(),
        paths::jit_arg(),
        paths::jit_return(),
        paths::inline(),
        paths::call(),
        paths::cache(),
    );
    let (jvp, leaves_of) = (paths::jvp(), paths::leaves_of());
    let ret = w.ret;
    let out = quote!((#ret, #ret));
    let traced = traced_params(w);
    let tangents: Vec<Ident> = traced
        .iter()
        .map(|(i, _)| Ident::new(&format!("__tangent_{i}"), Span::call_site()))
        .collect();
    let tangent_generics: Vec<Ident> = (0..traced.len())
        .map(|k| Ident::new(&format!("__T{k}"), Span::call_site()))
        .collect();
    let forms: Vec<Type> = traced.iter().map(|(_, t)| types::traced_form(t)).collect();
    let mut bounds: Vec<TokenStream> = Vec::new();
    for (g, f) in w.generics.iter().zip(&forms) {
        bounds.push(quote!(#g: #jit_arg<#f>));
    }
    for (g, f) in tangent_generics.iter().zip(&forms) {
        bounds.push(quote!(#g: #jit_arg<#f>));
    }
    let mode_ty = w
        .generics
        .iter()
        .chain(&tangent_generics)
        .zip(forms.iter().chain(&forms))
        .map(|(g, f)| quote!(<#g as #jit_arg<#f>>::Mode))
        .reduce(|acc, m| quote!(<#acc as #mode>::Or<#m>))
        .unwrap_or_else(paths::concrete);
    // The primals as a tuple pattern and its type (generic for traced ones).
    let mut generic = w.generics.iter();
    let primal_tys: Vec<TokenStream> = w
        .params
        .iter()
        .map(|&(_, ty, traced)| match traced {
            true => {
                let g = generic.next().expect("one generic per traced parameter");
                quote!(#g)
            }
            false => quote!(#ty),
        })
        .collect();
    let idents: Vec<&Ident> = w.params.iter().map(|p| p.0).collect();
    let arg = |g: &Ident, f: &Type, ident: &dyn quote::ToTokens| quote!(<#g as #jit_arg<#f>>::to_tracer(#ident));
    let mut generic = w.generics.iter().zip(&forms);
    let primal_tracers: Vec<TokenStream> = w
        .params
        .iter()
        .map(|&(ident, _, traced)| match traced {
            true => {
                let (g, f) = generic.next().expect("generic");
                arg(g, f, ident)
            }
            false => quote!(#ident),
        })
        .collect();
    let tangent_tracers: Vec<TokenStream> = tangent_generics
        .iter()
        .zip(&forms)
        .zip(&tangents)
        .map(|((g, f), t)| arg(g, f, t))
        .collect();
    let concrete = |g: &Ident, f: &Type, ty: &Type, ident: &dyn quote::ToTokens| {
        let reference = types::is_reference(ty).then(|| quote!(&));
        quote!(#reference <#g as #jit_arg<#f>>::concrete(#ident))
    };
    let mut generic = w.generics.iter().zip(&forms);
    let primal_concrete: Vec<TokenStream> = w
        .params
        .iter()
        .map(|&(ident, ty, traced)| match traced {
            true => {
                let (g, f) = generic.next().expect("generic");
                concrete(g, f, ty, ident)
            }
            false => quote!(#ident),
        })
        .collect();
    let tangent_concrete: Vec<TokenStream> = tangent_generics
        .iter()
        .zip(&forms)
        .zip(traced.iter().zip(&tangents))
        .map(|((g, f), ((_, ty), t))| concrete(g, f, ty, t))
        .collect();
    let tangent_staged: Vec<TokenStream> = tangents
        .iter()
        .zip(&forms)
        .map(|(t, f)| {
            if types::is_scalar(f) || types::is_array(f) {
                let tracer = paths::tracer();
                quote!(#t: #tracer)
            } else {
                let arg_type = paths::arg_type();
                quote!(#t: <#f as #arg_type>::Traced)
            }
        })
        .collect();
    let tangent_plain: Vec<TokenStream> = tangents
        .iter()
        .zip(&traced)
        .map(|(t, (_, ty))| quote!(#t: #ty))
        .collect();
    let tangent_owned: Vec<TokenStream> = tangents
        .iter()
        .zip(&traced)
        .map(|(t, (_, ty))| owned(t, ty))
        .collect();
    let traced_idents: Vec<&Ident> = traced.iter().map(|(i, _)| *i).collect();
    let traced_owned: Vec<TokenStream> = traced.iter().map(|(i, ty)| owned(i, ty)).collect();
    let Wrapper {
        staged_params,
        plain_params,
        all_idents,
        static_tys,
        static_vals,
        cache_params,
        name_str,
        ..
    } = w;
    let cache_name = format!("{name_str}::jvp");
    let doc = format!(
        "[`{name_str}`](super::{name_str})'s value and its derivative in the direction of \
         one tangent per traced parameter (`jax.jvp`): `jvp((args…), (tangents…))`."
    );
    quote! {
        #[doc = #doc]
        pub fn jvp<#(#bounds),*>(
            (#(#idents,)*): (#(#primal_tys,)*),
            (#(#tangents,)*): (#(#tangent_generics,)*),
        ) -> <#mode_ty as #mode>::Ret<#out> {
            if <#mode_ty as #mode>::TRACED {
                return <#mode_ty as #mode>::wrap_traced::<#out>(#inline::<#out>(|| {
                    __jvp_staged(#(#primal_tracers,)* #(#tangent_tracers),*)
                }));
            }
            <#mode_ty as #mode>::wrap_concrete::<#out>(
                __jvp_call(#(#primal_concrete,)* #(#tangent_concrete),*))
        }

        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        pub fn __jvp_staged(#(#staged_params,)* #(#tangent_staged),*) -> <#out as #jit_return>::Traced {
            let mut __primals = ::std::vec::Vec::new();
            #( #leaves_of(&#traced_idents, &mut __primals); )*
            let mut __tangents = ::std::vec::Vec::new();
            #( #leaves_of(&#tangents, &mut __tangents); )*
            #jvp(&__primals, &__tangents, || __staged(#(#all_idents),*))
        }

        static __JVP_CACHE: #cache<#static_tys> = #cache::new(#cache_name) #cache_params;

        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        pub fn __jvp_call(#(#plain_params,)* #(#tangent_plain),*) -> #out {
            // Primals and tangents as two tuples: each as long as the
            // function's own list of traced parameters.
            #call::<((#(#forms,)*), (#(#forms,)*)), #static_tys, #out>(
                &__JVP_CACHE,
                ((#(#traced_owned,)*), (#(#tangent_owned,)*)),
                #static_vals,
                |((#(#traced_idents,)*), (#(#tangents,)*)), #static_vals| {
                    __jvp_staged(#(#all_idents,)* #(#tangents),*)
                })
        }
    }
}

/// `f::vjp(args…)`: the value and a pullback, a boxed `Fn(ct) ->
/// (cotangents of the traced parameters, a tuple)` (`jax.vjp`), for a
/// float scalar or array result. With plain values the pullback runs a
/// compiled function of its own (one per signature); inside another
/// `#[jit]` body the value and each pullback call are inlined into that
/// trace. Generated when every traced parameter is a scalar or an `Array`
/// (or a reference to one), whose traced forms the pullback can keep.
pub fn vjp(w: &Wrapper<'_>) -> TokenStream {
    let traced = traced_params(w);
    let keepable = traced.iter().all(|(_, t)| {
        let form = types::traced_form(t);
        types::is_scalar(&form) || types::is_array(&form)
    });
    if !keepable {
        return TokenStream::new();
    }
    let (mode, jit_arg, jit_return, inline, call, cache, vjp_apply) = (
        paths::mode(),
        paths::jit_arg(),
        paths::jit_return(),
        paths::inline(),
        paths::call(),
        paths::cache(),
        paths::vjp_apply(),
    );
    let ret = w.ret;
    let mode_ty = w.mode_ty;
    let forms: Vec<Type> = traced.iter().map(|(_, t)| types::traced_form(t)).collect();
    let grads = quote!((#(#forms,)*));
    let traced_idents: Vec<&Ident> = traced.iter().map(|(i, _)| *i).collect();
    let traced_owned: Vec<TokenStream> = traced.iter().map(|(i, ty)| owned(i, ty)).collect();
    // Each parameter as the closures keep it: traced ones as tracers
    // (traced mode) or owned values (concrete mode), static ones owned.
    let mut generic = w.generics.iter().zip(&forms);
    let mut to_tracer = Vec::new();
    let mut to_owned = Vec::new();
    let mut pass_traced = Vec::new();
    let mut pass_concrete = Vec::new();
    for &(ident, ty, is_traced) in &w.params {
        if is_traced {
            let (g, f) = generic.next().expect("one generic per traced parameter");
            to_tracer.push(quote!(let #ident = <#g as #jit_arg<#f>>::to_tracer(#ident);));
            to_owned.push(quote!(let #ident = <#g as #jit_arg<#f>>::concrete(#ident);));
            pass_traced.push(quote!(#ident));
            pass_concrete.push(if types::is_reference(ty) {
                quote!(&#ident)
            } else {
                quote!(::core::clone::Clone::clone(&#ident))
            });
        } else {
            to_tracer.push(TokenStream::new());
            to_owned.push(TokenStream::new());
            pass_traced.push(quote!(::core::clone::Clone::clone(&#ident)));
            pass_concrete.push(quote!(::core::clone::Clone::clone(&#ident)));
        }
    }
    let cotangent = Ident::new("__cotangent", Span::call_site());
    let tracer = paths::tracer();
    let Wrapper {
        generic_params,
        wrapper_params,
        staged_params,
        plain_params,
        all_idents,
        static_tys,
        static_vals,
        cache_params,
        name_str,
        ..
    } = w;
    let cache_name = format!("{name_str}::vjp");
    let doc = format!(
        "[`{name_str}`](super::{name_str})'s value and its pullback (`jax.vjp`): called with \
         the result's cotangent, the pullback returns the cotangents of the traced parameters, \
         as a tuple."
    );
    let value_ty = quote!(<#mode_ty as #mode>::Ret<#ret>);
    let pullback_ty = quote!(::std::boxed::Box<dyn Fn(<#mode_ty as #mode>::Ret<#ret>) -> <#mode_ty as #mode>::Ret<#grads>>);
    quote! {
        #[doc = #doc]
        pub fn vjp #generic_params (#(#wrapper_params),*) -> (#value_ty, #pullback_ty) {
            if <#mode_ty as #mode>::TRACED {
                #(#to_tracer)*
                let value = #inline::<#ret>(|| __staged(#(#pass_traced),*));
                let pullback = move |#cotangent: #value_ty| {
                    let #cotangent = <#mode_ty as #mode>::unwrap_traced::<#ret>(#cotangent);
                    <#mode_ty as #mode>::wrap_traced::<#grads>(
                        #inline::<#grads>(|| __vjp_staged(#(#pass_traced,)* #cotangent)))
                };
                return (<#mode_ty as #mode>::wrap_traced::<#ret>(value), ::std::boxed::Box::new(pullback));
            }
            #(#to_owned)*
            let value = __call(#(#pass_concrete),*);
            let pullback = move |#cotangent: #value_ty| {
                let #cotangent = <#mode_ty as #mode>::unwrap_concrete::<#ret>(#cotangent);
                <#mode_ty as #mode>::wrap_concrete::<#grads>(__vjp_call(#(#pass_concrete,)* #cotangent))
            };
            (<#mode_ty as #mode>::wrap_concrete::<#ret>(value), ::std::boxed::Box::new(pullback))
        }

        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        pub fn __vjp_staged(#(#staged_params,)* #cotangent: #tracer) -> <#grads as #jit_return>::Traced {
            #vjp_apply::<_, #ret>((#(#traced_idents,)*), #cotangent, |(#(#traced_idents,)*)| {
                __staged(#(#all_idents),*)
            })
        }

        static __VJP_CACHE: #cache<#static_tys> = #cache::new(#cache_name) #cache_params;

        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        pub fn __vjp_call(#(#plain_params,)* #cotangent: #ret) -> #grads {
            #call::<((#(#forms,)*), (#ret,)), #static_tys, #grads>(
                &__VJP_CACHE,
                ((#(#traced_owned,)*), (#cotangent,)),
                #static_vals,
                |((#(#traced_idents,)*), (#cotangent,)), #static_vals| {
                    __vjp_staged(#(#all_idents,)* #cotangent)
                })
        }
    }
}

/// `grad` and `value_and_grad` in the companion module.
pub fn companions(w: &Wrapper<'_>) -> TokenStream {
    let ret = w.ret;
    let forms = &w.wrt_forms;
    let grad_ty = if w.wrt_tuple {
        quote!((#(#forms,)*))
    } else {
        quote!(#(#forms)*)
    };
    let grad = one(
        w,
        "grad",
        quote!(#grad_ty),
        paths::grad(),
        &format!(
            "The gradient of [`{0}`](super::{0}) with respect to its first traced parameter, \
             or to those `wrt` names (`jax.grad`), with their types and structure.",
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
             parameter, or to those `wrt` names (`jax.value_and_grad`).",
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
    let module_doc = format!("`{}::{name}`'s traced graph and cache.", w.name_str);
    let (jaxpr, make_jaxpr) = (paths::jaxpr(), paths::make_jaxpr());
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
        wrt_tuple,
        ..
    } = w;
    let wrt_value = if *wrt_tuple {
        quote!((#(#wrt,)*))
    } else {
        quote!(#(#wrt)*)
    };
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
            #helper::<_, #ret>(#wrt_value, |#wrt_value| __staged(#(#all_idents),*))
        }

        static #cache_ident: #cache<#static_tys> = #cache::new(#cache_name) #cache_params;

        #[doc(hidden)]
        pub fn #call_fn(#(#plain_params),*) -> #out {
            #call::<#traced_tys, #static_tys, #out>(
                &#cache_ident, #traced_vals, #static_vals,
                |#traced_idents, #static_vals| #staged(#(#all_idents),*))
        }

        #[doc = #module_doc]
        pub mod #func {
            use super::*;

            /// The traced graph for these arguments, printed in JAX's jaxpr style.
            pub fn make_jaxpr(#(#plain_params),*) -> #jaxpr {
                #make_jaxpr::<#traced_tys, #static_tys, #out>(
                    &super::#cache_ident, #traced_vals, #static_vals,
                    |#traced_idents, #static_vals| super::#staged(#(#all_idents),*))
            }

            /// Compiled specialisations so far.
            pub fn cache_size() -> usize {
                super::#cache_ident.len()
            }
        }
    }
}
