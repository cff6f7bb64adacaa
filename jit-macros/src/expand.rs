//! The expansion of `#[jit]` on a free function.
//!
//! For `fn f(x: f32, n: usize) -> f32` with `static = n` this emits a wrapper
//! `fn f<__A0: JitArg<f32>>(x: __A0, n: usize)` whose return type follows the
//! call's `Mode` (plain values, or tracers when called inside another trace),
//! and beside it a module `f` holding the staged body `__staged`, the cache
//! `__CACHE`, the concrete entry `__call` and the public `cache_size`,
//! `clear_cache`, `make_jaxpr` and `lower`.
//!
//! **Invariants:** parameters are `ident: Type`; a parameter is traced when its
//! type is a scalar of `types.rs` and it is not static, static when listed in
//! `static = ...`, and anything else is an error. Traced arguments travel as
//! one tuple in declaration order, static ones as another. On error the
//! original signature is emitted beside the errors (with a stub body), so
//! callers still resolve and rustc adds no unrelated errors.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, Pat, ReturnType, Type};

use crate::attr::JitArgs;
use crate::errors::Errors;
use crate::{analysis, derivatives, paths, rewrite, rules, types};

/// One parameter of the user's function.
struct Param {
    ident: Ident,
    /// Written `mut x: ..`; kept on the staged function only.
    mutable: bool,
    ty: Type,
    traced: bool,
}

/// Expands `#[jit(args)] item`; on error, the errors followed by `item` with
/// its body replaced by a stub: callers still resolve and type-check against
/// the original signature, and a body that breaks the rules (`table[i]` with a
/// traced `i32`) adds no error of its own.
pub fn expand(args: JitArgs, item: ItemFn) -> TokenStream {
    match expand_checked(&args, item.clone()) {
        Ok(tokens) => tokens,
        Err(err) => {
            let err = err.into_compile_error();
            let ItemFn {
                attrs, vis, sig, ..
            } = item;
            quote! {
                #err
                #(#attrs)*
                #[allow(unused_variables, unused_mut, clippy::diverging_sub_expression)]
                #vis #sig {
                    ::core::unimplemented!("this function did not compile")
                }
            }
        }
    }
}

fn expand_checked(args: &JitArgs, item: ItemFn) -> syn::Result<TokenStream> {
    // The signature and the purity rules are checked together, so one compile
    // reports every mistake: the signature's first, then the body's.
    let errors = Errors::new();
    let signature = errors.ok(check_signature(args, &item));
    let ItemFn {
        attrs,
        vis,
        sig,
        mut block,
    } = item;
    analysis::mark_fn_body(&param_marks(args, &sig), &mut block);
    rules::check_fn(&sig, &block, &errors);
    let (params, ret) = errors.finish(signature)?;
    let (ret, error_check) = types::normalize_return(&ret);
    let name = &sig.ident;
    let name_str = name.to_string();

    let traced: Vec<&Param> = params.iter().filter(|p| p.traced).collect();
    let statics: Vec<&Param> = params.iter().filter(|p| !p.traced).collect();

    // The staged body.
    rewrite::rewrite_body(&mut block, &ret);

    let jit_arg = paths::jit_arg();
    let mode = paths::mode();
    let jit_return = paths::jit_return();
    let cache = paths::cache();
    let call = paths::call();
    let make_jaxpr = paths::make_jaxpr();
    let jaxpr = paths::jaxpr();
    let lower = paths::lower();
    let lowered = paths::lowered();
    let inline = paths::inline();
    let arg_type = paths::arg_type();
    let tracer = paths::tracer();

    // The wrapper's generics and the call's mode type.
    let generics: Vec<Ident> = (0..traced.len())
        .map(|i| format_ident!("__A{}", i, span = Span::call_site()))
        .collect();
    let bounds = traced.iter().zip(&generics).map(|(p, g)| {
        let ty = types::traced_form(&p.ty);
        quote!(#g: #jit_arg<#ty>)
    });
    let generic_params = (!generics.is_empty()).then(|| quote!(<#(#bounds),*>));
    let mode_ty = traced
        .iter()
        .zip(&generics)
        .map(|(p, g)| {
            let ty = types::traced_form(&p.ty);
            quote!(<#g as #jit_arg<#ty>>::Mode)
        })
        .reduce(|acc, m| quote!(<#acc as #mode>::Or<#m>))
        .unwrap_or_else(paths::concrete);

    let mut generic_iter = generics.iter();
    let wrapper_params: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let ident = &p.ident;
            if p.traced {
                let g = generic_iter
                    .next()
                    .expect("one generic per traced parameter");
                quote!(#ident: #g)
            } else {
                let ty = &p.ty;
                quote!(#ident: #ty)
            }
        })
        .collect();
    let mut generic_iter = generics.iter();
    let to_tracer_args: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let ident = &p.ident;
            if p.traced {
                let (g, ty) = (
                    generic_iter.next().expect("generic"),
                    types::traced_form(&p.ty),
                );
                quote!(<#g as #jit_arg<#ty>>::to_tracer(#ident))
            } else {
                quote!(#ident)
            }
        })
        .collect();
    let mut generic_iter = generics.iter();
    let concrete_args: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let ident = &p.ident;
            if p.traced {
                let (g, ty) = (
                    generic_iter.next().expect("generic"),
                    types::traced_form(&p.ty),
                );
                let reference = types::is_reference(&p.ty).then(|| quote!(&));
                quote!(#reference <#g as #jit_arg<#ty>>::concrete(#ident))
            } else {
                quote!(#ident)
            }
        })
        .collect();

    let staged_params: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let ident = &p.ident;
            let mutability = p.mutable.then(|| quote!(mut));
            if p.traced {
                let form = types::traced_form(&p.ty);
                if types::is_scalar(&form) || types::is_array(&form) {
                    quote!(#mutability #ident: #tracer)
                } else {
                    quote!(#mutability #ident: <#form as #arg_type>::Traced)
                }
            } else {
                let ty = &p.ty;
                quote!(#mutability #ident: #ty)
            }
        })
        .collect();
    let plain_params: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let (ident, ty) = (&p.ident, &p.ty);
            quote!(#ident: #ty)
        })
        .collect();
    let all_idents: Vec<&Ident> = params.iter().map(|p| &p.ident).collect();

    let traced_forms: Vec<Type> = traced.iter().map(|p| types::traced_form(&p.ty)).collect();
    let traced_tys = tuple_type(traced_forms.iter());
    let static_tys = tuple_type(statics.iter().map(|p| &p.ty));
    let traced_idents = tuple_of(traced.iter().map(|p| &p.ident));
    // The traced arguments as the runtime takes them: an `&Array` is cloned
    // (a reference count) into the tuple.
    let traced_owned = traced.iter().map(|p| {
        let ident = &p.ident;
        if types::is_reference(&p.ty) {
            quote!(::core::clone::Clone::clone(#ident))
        } else {
            quote!(#ident)
        }
    });
    let traced_vals = quote!((#(#traced_owned,)*));
    let static_vals = tuple_of(statics.iter().map(|p| &p.ident));

    let traced_names: Vec<String> = traced.iter().map(|p| p.ident.to_string()).collect();
    let static_names: Vec<String> = statics.iter().map(|p| p.ident.to_string()).collect();
    let describe = paths::describe();
    let describe_traits = paths::describe_traits();
    let static_texts = (0..statics.len()).map(|k| {
        let k = syn::Index::from(k);
        quote!((&&#describe(&statics.#k)).describe())
    });
    let describe_ident = Ident::new("__describe_statics", Span::call_site());
    let cache_params = quote!(
        .with_params(&[#(#traced_names),*], &[#(#static_names),*], #describe_ident)
    );
    let cache_ident = Ident::new("__CACHE", Span::call_site());
    let staged_ident = Ident::new("__staged", Span::call_site());
    let call_ident = Ident::new("__call", Span::call_site());
    let staged_closure = quote!(|#traced_idents, #static_vals| #staged_ident(#(#all_idents),*));

    // Gradients exist for float scalar results (JAX's `grad` requires one),
    // directional derivatives for float scalar or array results.
    let (wrt, wrt_tuple): (Vec<&Param>, bool) = match &args.wrt {
        None => (traced.first().copied().into_iter().collect(), false),
        Some((names, tuple)) => {
            let mut wrt = Vec::new();
            for name in names {
                match traced.iter().find(|p| p.ident == *name) {
                    Some(p) => wrt.push(*p),
                    None => {
                        return Err(syn::Error::new(
                            name.span(),
                            format!(
                                "`wrt` names `{name}`, which is not a traced parameter: \
                                 gradients are taken with respect to traced parameters"
                            ),
                        ));
                    }
                }
            }
            (wrt, *tuple)
        }
    };
    let derivatives = match traced.first() {
        Some(_) if types::is_float_scalar(&ret) || types::is_array(&ret) => {
            let wrapper = derivatives::Wrapper {
                name_str: &name_str,
                generic_params: &generic_params,
                mode_ty: &mode_ty,
                wrapper_params: &wrapper_params,
                to_tracer_args: &to_tracer_args,
                concrete_args: &concrete_args,
                staged_params: &staged_params,
                plain_params: &plain_params,
                all_idents: &all_idents,
                traced_tys: &traced_tys,
                static_tys: &static_tys,
                traced_idents: &traced_idents,
                traced_vals: &traced_vals,
                static_vals: &static_vals,
                cache_params: &cache_params,
                ret: &ret,
                wrt: wrt.iter().map(|p| &p.ident).collect(),
                wrt_forms: wrt.iter().map(|p| types::traced_form(&p.ty)).collect(),
                wrt_tuple,
                params: params.iter().map(|p| (&p.ident, &p.ty, p.traced)).collect(),
                generics: &generics,
            };
            let jvp = derivatives::jvp(&wrapper);
            let vjp = derivatives::vjp(&wrapper);
            let grads = types::is_float_scalar(&ret).then(|| derivatives::companions(&wrapper));
            quote!(#jvp #vjp #grads)
        }
        _ => TokenStream::new(),
    };

    let fn_token = &sig.fn_token;
    Ok(quote! {
        #error_check

        #(#attrs)*
        #vis #fn_token #name #generic_params (#(#wrapper_params),*)
            -> <#mode_ty as #mode>::Ret<#ret>
        {
            if <#mode_ty as #mode>::TRACED {
                return <#mode_ty as #mode>::wrap_traced::<#ret>(
                    #inline::<#ret>(|| #name::#staged_ident(#(#to_tracer_args),*)));
            }
            <#mode_ty as #mode>::wrap_concrete::<#ret>(
                #name::#call_ident(#(#concrete_args),*))
        }

        #[doc = concat!("Companions of [`", #name_str, "`]: its cache and its traced graph.")]
        #vis mod #name {
            #![allow(unused_imports, non_snake_case)]
            use super::*;

            #[doc(hidden)]
            pub fn #staged_ident(#(#staged_params),*) -> <#ret as #jit_return>::Traced
                #block

            static #cache_ident: #cache<#static_tys> = #cache::new(#name_str) #cache_params;

            #[doc(hidden)]
            #[allow(clippy::needless_borrow)]
            fn #describe_ident(statics: &#static_tys) -> ::std::vec::Vec<::std::string::String> {
                #describe_traits
                ::std::vec![#(#static_texts),*]
            }

            #[doc(hidden)]
            pub fn #call_ident(#(#plain_params),*) -> #ret {
                #call::<#traced_tys, #static_tys, #ret>(
                    &#cache_ident, #traced_vals, #static_vals, #staged_closure)
            }

            /// Compiled specialisations so far.
            pub fn cache_size() -> usize {
                #cache_ident.len()
            }

            /// Drops every compiled specialisation.
            pub fn clear_cache() {
                #cache_ident.clear()
            }

            #derivatives

            /// Why each compile after the first happened, in order: the
            /// arguments whose dtype, shape or static value changed
            /// (`x: f32[3] -> f32[4]`, `n: 10 -> 11`), or the ISA level.
            /// `JIT_LOG_COMPILES=1` prints the same on each compile.
            pub fn cache_misses() -> ::std::vec::Vec<::std::string::String> {
                #cache_ident.misses()
            }

            /// The traced graph for these arguments, printed in JAX's jaxpr style.
            pub fn make_jaxpr(#(#plain_params),*) -> #jaxpr {
                #make_jaxpr::<#traced_tys, #static_tys, #ret>(
                    &#cache_ident, #traced_vals, #static_vals, #staged_closure)
            }

            /// Traces and optimises for these arguments without caching:
            /// `.as_text()` is the optimised IR, `.compile()` assembles it.
            pub fn lower(#(#plain_params),*) -> #lowered {
                #lower::<#traced_tys, #static_tys, #ret>(
                    &#cache_ident, #traced_vals, #static_vals, #staged_closure)
            }
        }
    })
}

/// `(A, B,)`, `()` for none.
fn tuple_type<'a>(tys: impl Iterator<Item = &'a Type>) -> TokenStream {
    quote!((#(#tys,)*))
}

/// `(a, b,)` as an expression or pattern, `()` for none.
fn tuple_of<'a>(idents: impl Iterator<Item = &'a Ident>) -> TokenStream {
    quote!((#(#idents,)*))
}

/// Each named parameter with whether it is traced, as `analysis.rs` takes them
/// (also when the signature has errors, so the body is still checked).
fn param_marks(args: &JitArgs, sig: &syn::Signature) -> Vec<(Ident, bool)> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(pt) => match &*pt.pat {
                Pat::Ident(pi) => Some((
                    pi.ident.clone(),
                    !args.is_static(&pi.ident) && types::is_traced_type(&pt.ty),
                )),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// Checks the signature; returns the parameters and the declared return type.
/// A `&mut` parameter is left to `rules.rs`, which reports it as a purity rule.
fn check_signature(args: &JitArgs, item: &ItemFn) -> syn::Result<(Vec<Param>, Type)> {
    let sig = &item.sig;
    let errors = Errors::new();
    if let Some(a) = &sig.asyncness {
        errors.error(a.span, "`#[jit]` functions cannot be `async`");
    }
    if let Some(c) = &sig.constness {
        errors.error(c.span, "`#[jit]` functions cannot be `const`");
    }
    if let Some(v) = &sig.variadic {
        errors.error(v.span(), "`#[jit]` functions cannot be variadic");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.error(
            sig.generics.span(),
            "`#[jit]` functions cannot be generic: their traced parameters already are",
        );
    }

    let mut params = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(pt) = input else {
            errors.error(
                input.span(),
                "`#[jit]` works on free functions only, not methods",
            );
            continue;
        };
        let ident = match &*pt.pat {
            Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => &pi.ident,
            pat => {
                errors.error(
                    pat.span(),
                    "`#[jit]` parameters must be plain `name: Type` patterns",
                );
                continue;
            }
        };
        let mutable = matches!(&*pt.pat, Pat::Ident(pi) if pi.mutability.is_some());
        let is_static = args.is_static(ident);
        let traced = !is_static && types::is_traced_type(&pt.ty);
        if !is_static && !traced && !rules::is_mut_ref(&pt.ty) {
            errors.error(
                pt.ty.span(),
                format!(
                    "parameter `{ident}` is neither traced nor static: traced parameters have \
                     one of the types {}; list other parameters in `#[jit(static = ...)]`",
                    types::traced_list()
                ),
            );
        }
        params.push(Param {
            ident: ident.clone(),
            mutable,
            ty: (*pt.ty).clone(),
            traced,
        });
    }
    for name in &args.statics {
        if !params.iter().any(|p| &p.ident == name) {
            errors.error(
                name.span(),
                format!("`{name}` is not a parameter of `{}`", sig.ident),
            );
        }
    }

    // Checked last, so its error follows those of the parameters.
    let ret = match &sig.output {
        ReturnType::Type(_, ty) if types::is_declared_return(ty) => Some((**ty).clone()),
        output => {
            let span = match output {
                ReturnType::Default => sig.paren_token.span.close(),
                ReturnType::Type(_, ty) => ty.span(),
            };
            errors.error(
                span,
                format!(
                    "`#[jit]` functions return one of {}, `Array`, a tuple of them, or `Result<T, jit::Error>` of either",
                    types::scalar_list()
                ),
            );
            None
        }
    };
    errors.finish(ret.map(|ret| (params, ret)))
}

#[cfg(test)]
mod tests {
    use crate::test_util::{expand_fn, norm, same_tokens, unprefix};

    #[track_caller]
    fn check(attr: &str, item: &str, expected: &str) {
        let got = unprefix(&expand_fn(attr, item).to_string());
        let want = norm(expected);
        assert!(same_tokens(&got, &want), "got:  {got}\nwant: {want}");
    }

    #[track_caller]
    fn error(attr: &str, item: &str, message: &str) {
        let got = expand_fn(attr, item).to_string();
        assert!(got.contains("compile_error"), "no error in {got}");
        assert!(got.contains(message), "`{message}` not in {got}");
    }

    #[test]
    fn derivative_companions_exist_for_float_results() {
        let float = expand_fn("", "fn f(x: f32, y: &Array) -> f32 { x }").to_string();
        for name in ["fn grad", "fn value_and_grad", "fn jvp"] {
            assert!(float.contains(name), "`{name}` missing in {float}");
        }
        let array = expand_fn("", "fn f(x: &Array) -> Array { x }").to_string();
        assert!(
            array.contains("fn jvp") && !array.contains("fn grad"),
            "{array}"
        );
        let int = expand_fn("", "fn f(x: i32) -> i32 { x }").to_string();
        assert!(!int.contains("fn jvp") && !int.contains("fn grad"), "{int}");
    }

    #[test]
    fn static_loop() {
        check(
            "static = n",
            "/// Adds.\n#[inline] pub fn f_loop(x: i32, n: usize) -> i32 { x }",
            r#"
            #[doc = " Adds."]
            #[inline]
            pub fn f_loop<__A0: JitArg<i32>>(x: __A0, n: usize)
                -> <<__A0 as JitArg<i32>>::Mode as Mode>::Ret<i32>
            {
                if <<__A0 as JitArg<i32>>::Mode as Mode>::TRACED {
                    return <<__A0 as JitArg<i32>>::Mode as Mode>::wrap_traced::<i32>(
                        inline::<i32>(|| f_loop::__staged(<__A0 as JitArg<i32>>::to_tracer(x), n)));
                }
                <<__A0 as JitArg<i32>>::Mode as Mode>::wrap_concrete::<i32>(
                    f_loop::__call(<__A0 as JitArg<i32>>::concrete(x), n))
            }
            #[doc = concat!("Companions of [`", "f_loop", "`]: its cache and its traced graph.")]
            pub mod f_loop {
                #![allow(unused_imports, non_snake_case)]
                use super::*;
                #[doc(hidden)]
                pub fn __staged(x: Tracer, n: usize) -> <i32 as JitReturn>::Traced {
                    ret::<i32>(x)
                }
                static __CACHE: Cache<(usize,)> = Cache::new("f_loop")
                    .with_params(&["x"], &["n"], __describe_statics);
                #[doc(hidden)]
                #[allow(clippy::needless_borrow)]
                fn __describe_statics(statics: &(usize,)) -> ::std::vec::Vec<::std::string::String> {
                    use DescribeDebug as _;
                    use DescribeOther as _;
                    ::std::vec![(&&Describe(&statics.0)).describe()]
                }
                #[doc(hidden)]
                pub fn __call(x: i32, n: usize) -> i32 {
                    call::<(i32,), (usize,), i32>(&__CACHE, (x,), (n,), |(x,), (n,)| __staged(x, n))
                }
                #[doc = r" Compiled specialisations so far."]
                pub fn cache_size() -> usize { __CACHE.len() }
                #[doc = r" Drops every compiled specialisation."]
                pub fn clear_cache() { __CACHE.clear() }
                #[doc = r" Why each compile after the first happened, in order: the"]
                #[doc = r" arguments whose dtype, shape or static value changed"]
                #[doc = r" (`x: f32[3] -> f32[4]`, `n: 10 -> 11`), or the ISA level."]
                #[doc = r" `JIT_LOG_COMPILES=1` prints the same on each compile."]
                pub fn cache_misses() -> ::std::vec::Vec<::std::string::String> { __CACHE.misses() }
                #[doc = r" The traced graph for these arguments, printed in JAX's jaxpr style."]
                pub fn make_jaxpr(x: i32, n: usize) -> Jaxpr {
                    make_jaxpr::<(i32,), (usize,), i32>(&__CACHE, (x,), (n,), |(x,), (n,)| __staged(x, n))
                }
                #[doc = r" Traces and optimises for these arguments without caching:"]
                #[doc = r" `.as_text()` is the optimised IR, `.compile()` assembles it."]
                pub fn lower(x: i32, n: usize) -> Lowered {
                    lower::<(i32,), (usize,), i32>(&__CACHE, (x,), (n,), |(x,), (n,)| __staged(x, n))
                }
            }
            "#,
        );
    }

    #[test]
    fn modes_of_several_traced_arguments_nest() {
        let got = unprefix(
            &expand_fn(
                "",
                "fn g(a: f64, mut b: i32, c: bool) -> (f64, i32) { (a, b) }",
            )
            .to_string(),
        );
        let mode = norm(
            "<<<<__A0 as JitArg<f64>>::Mode as Mode>::Or<<__A1 as JitArg<i32>>::Mode> as Mode>\
             ::Or<<__A2 as JitArg<bool>>::Mode> as Mode>::Ret<(f64, i32)>",
        );
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert!(squash(&got).contains(&squash(&mode)), "{got}");
        assert!(
            squash(&got).contains("__staged(a:Tracer,mutb:Tracer"),
            "{got}"
        );
        assert!(squash(&got).contains("Cache<()>"), "{got}");
        assert!(
            squash(&got).contains("|(a,b,c,),()|__staged(a,b,c)"),
            "{got}"
        );
    }

    #[test]
    fn no_traced_argument_is_concrete() {
        let got = unprefix(&expand_fn("static = n", "fn h(n: u8) -> f32 { 1.0 }").to_string());
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squash(&got).contains("fnh(n:u8)-><ConcreteasMode>::Ret<f32>"),
            "{got}"
        );
        assert!(
            squash(&got).contains("ret::<f32>(weak_float(1.0))"),
            "{got}"
        );
    }

    #[test]
    fn signature_errors() {
        error(
            "static = m",
            "fn f(x: f32) -> f32 { x }",
            "`m` is not a parameter of `f`",
        );
        error(
            "",
            "fn f((a, b): (f32, f32)) -> f32 { a }",
            "plain `name: Type`",
        );
        error("", "fn f(x: f32) { }", "return one of");
        error("", "fn f(x: f32) -> () { }", "return one of");
        error(
            "",
            "fn f(v: Vec<usize>) -> f32 { 1.0 }",
            "neither traced nor static",
        );
        error(
            "",
            "fn f(x: f32, n: usize) -> f32 { x }",
            "neither traced nor static",
        );
        error("", "fn f(&self) -> f32 { 1.0 }", "free functions only");
        error("", "fn f<T>(x: f32) -> f32 { x }", "cannot be generic");
        // The function itself is still emitted, so its callers resolve.
        let got = expand_fn("static = m", "fn f(x: f32) -> f32 { x }").to_string();
        assert!(got.contains("fn f (x : f32) -> f32 {"), "{got}");
    }
}
