//! The expansion of `jit_fn!(|x: f32, k: i32| body)`: a closure with its own cache.
//!
//! ```text
//! {
//!     let __cache = Cache::<()>::new("closure")
//!         .with_params(&["x", "k"], &[], |_| Vec::new());
//!     move |x: f32, k: i32| -> R {
//!         call::<(f32, i32), (), R>(&__cache, (x, k,), (), |(x, k,), ()| { staged body })
//!     }
//! }
//! ```
//!
//! **Invariants:** every parameter is traced, so each must be `name: T` with
//! `T` a traced type of `types.rs` (a scalar, `Array`, a pytree of them, or
//! `&` of one); closures have no static arguments. The result type `R` is
//! the annotated return type (`|x: f32| -> (f32, f32) { .. }`) or, without
//! one, the type of the first parameter (`Array` for `&Array`):
//! `jit_fn!(|x: f64, k: i32| ..)` returns `f64`.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{ExprClosure, Ident, Pat, ReturnType, Type};

use crate::errors::Errors;
use crate::{analysis, paths, rewrite, rules, types};

/// Expands `jit_fn!(closure)`.
///
/// On error, the errors followed by a closure of the same signature (a stub
/// when the signature is valid, else the closure unchanged), so the caller's
/// uses of it still type-check.
pub fn expand(closure: ExprClosure) -> TokenStream {
    let mut staged = closure.clone();
    analysis::mark_closure(&mut staged);
    // The signature and the purity rules are checked together, so one compile
    // reports every mistake: the signature's first, then the body's.
    let errors = Errors::new();
    let signature = errors.ok(check(&closure));
    rules::check_closure(&staged, &errors);
    match (signature, errors.check()) {
        (Some((params, ret)), Ok(())) => expand_checked(staged, params, ret),
        // The signature is fine: a stub of it, so a body that breaks the
        // rules adds no error of its own.
        (Some((params, ret)), Err(e)) => {
            let e = e.into_compile_error();
            let (idents, tys): (Vec<Ident>, Vec<Type>) = params.into_iter().unzip();
            quote!({
                #e
                #[allow(unused_variables)]
                move |#(#idents: #tys),*| -> #ret {
                    ::core::unimplemented!("this closure did not compile")
                }
            })
        }
        // The signature is wrong: the closure unchanged, beside every error.
        (None, Err(e)) => {
            let e = e.into_compile_error();
            quote!({ #e #closure })
        }
        (None, Ok(())) => unreachable!("`errors.ok` reported the signature's error"),
    }
}

fn expand_checked(staged: ExprClosure, params: Vec<(Ident, Type)>, ret: Type) -> TokenStream {
    let (ret, error_check) = types::normalize_return(&ret);
    let mut body = *staged.body;
    rewrite::rewrite_closure_body(&mut body, &ret);

    let cache = paths::cache();
    let call = paths::call();
    let cache_ident = Ident::new("__cache", Span::mixed_site());
    let idents: Vec<&Ident> = params.iter().map(|(i, _)| i).collect();
    let names: Vec<String> = idents.iter().map(|i| i.to_string()).collect();
    let tys: Vec<&Type> = params.iter().map(|(_, t)| t).collect();
    let forms: Vec<Type> = tys.iter().map(|t| types::traced_form(t)).collect();
    // A `&T` parameter is cloned into the argument tuple (arrays share their
    // buffers, so this is a reference count).
    let owned = params.iter().map(|(ident, ty)| {
        if types::is_reference(ty) {
            quote!(::core::clone::Clone::clone(#ident))
        } else {
            quote!(#ident)
        }
    });
    quote! {
        {
            #error_check
            let #cache_ident = #cache::<()>::new("closure")
                .with_params(&[#(#names),*], &[], |_| ::std::vec::Vec::new());
            move |#(#idents: #tys),*| -> #ret {
                #call::<(#(#forms,)*), (), #ret>(
                    &#cache_ident, (#(#owned,)*), (), |(#(#idents,)*), ()| #body)
            }
        }
    }
}

/// Checks the closure; returns its parameters and result type.
fn check(closure: &ExprClosure) -> syn::Result<(Vec<(Ident, Type)>, Type)> {
    let errors = Errors::new();
    if let Some(a) = &closure.asyncness {
        errors.error(a.span, "`jit_fn!` closures cannot be `async`");
    }
    let mut params = Vec::new();
    for input in &closure.inputs {
        match input {
            Pat::Type(pt) => match &*pt.pat {
                Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                    if types::is_traced_type(&pt.ty) {
                        params.push((pi.ident.clone(), (*pt.ty).clone()));
                    } else if rules::is_mut_ref(&pt.ty) {
                        // Reported by `rules.rs` as a purity rule.
                    } else {
                        errors.error(
                            pt.ty.span(),
                            format!(
                                "`jit_fn!` closure parameters are traced: their type must be one of {}",
                                types::traced_list()
                            ),
                        );
                    }
                }
                pat => errors.error(
                    pat.span(),
                    "`jit_fn!` closure parameters must be plain `name: Type` patterns",
                ),
            },
            pat => errors.error(
                pat.span(),
                format!(
                    "`jit_fn!` closure parameters need a type annotation, one of {}",
                    types::scalar_list()
                ),
            ),
        }
    }
    // Checked last, so its error follows those of the parameters.
    let ret = match &closure.output {
        ReturnType::Type(_, ty) if types::is_declared_return(ty) => Some((**ty).clone()),
        ReturnType::Type(_, ty) => {
            errors.error(
                ty.span(),
                format!(
                    "`jit_fn!` closures return one of {}, a tuple of them, or `Result<T, jit::Error>` of either",
                    types::scalar_list()
                ),
            );
            None
        }
        ReturnType::Default => match params.first() {
            Some((_, ty)) => Some(types::traced_form(ty)),
            None => {
                errors.error(
                    closure.or1_token.span,
                    "a `jit_fn!` closure without parameters needs a return type: `|| -> f32 { .. }`",
                );
                None
            }
        },
    };
    errors.finish(ret.map(|ret| (params, ret)))
}

#[cfg(test)]
mod tests {
    use crate::test_util::{norm, same_tokens, unprefix};

    fn expand(src: &str) -> Result<String, String> {
        let closure: syn::ExprClosure = syn::parse_str(src).expect("closure parses");
        let text = super::expand(closure).to_string();
        if text.contains("compile_error") {
            Err(text)
        } else {
            Ok(unprefix(&text))
        }
    }

    #[track_caller]
    fn check(src: &str, expected: &str) {
        let got = expand(src).expect("expands");
        let want = norm(expected);
        assert!(same_tokens(&got, &want), "got:  {got}\nwant: {want}");
    }

    #[test]
    fn result_type_defaults_to_the_first_parameter() {
        check(
            "|x: f64, k: i32| x * 2.0 + k as f64",
            "{
                let __cache = Cache::<()>::new(\"closure\")
                    .with_params(&[\"x\", \"k\"], &[], |_| ::std::vec::Vec::new());
                move |x: f64, k: i32| -> f64 {
                    call::<(f64, i32,), (), f64>(&__cache, (x, k,), (), |(x, k,), ()|
                        ret::<f64>(x * weak_float(2.0) + cast::<f64>(k)))
                }
            }",
        );
    }

    #[test]
    fn annotated_result_and_block_body() {
        check(
            "|x: f32| -> (f32, bool) { let y = x + 1.0; (y, y > 0.0) }",
            "{
                let __cache = Cache::<()>::new(\"closure\")
                    .with_params(&[\"x\"], &[], |_| ::std::vec::Vec::new());
                move |x: f32| -> (f32, bool) {
                    call::<(f32,), (), (f32, bool)>(&__cache, (x,), (), |(x,), ()| {
                        let y = x + weak_float(1.0);
                        ret::<(f32, bool)>((y, gt(y, weak_float(0.0))))
                    })
                }
            }",
        );
    }

    #[test]
    fn errors() {
        let msg = |src: &str| expand(src).unwrap_err();
        assert!(msg("|x| x").contains("need a type annotation"));
        assert!(msg("|x: usize| x").contains("must be one of"));
        assert!(msg("|| 1.0").contains("needs a return type"));
        assert!(msg("|x: f32| -> Vec<f32> { vec![x] }").contains("return one of"));
    }
}
