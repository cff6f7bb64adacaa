//! Which Rust types the macros treat as traced values, and their rewriting.
//!
//! **Invariant:** the list of traced types lives here only: the scalars `f32
//! f64 i32 i64 u32 bool`, and `Array` (also as a parameter `&Array`), each
//! written as a single bare identifier (a qualified path such as
//! `core::primitive::f32` is not recognised, on purpose: the macro sees names).

use proc_macro2::TokenStream;
use quote::quote_spanned;
use syn::spanned::Spanned;
use syn::{Type, TypeTuple, parse_quote};

use crate::paths;

/// The scalar types a `#[jit]` parameter may be traced as.
pub const SCALARS: [&str; 6] = ["f32", "f64", "i32", "i64", "u32", "bool"];

/// Whether `ty` is one of [`SCALARS`], possibly parenthesised.
pub fn is_scalar(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .get_ident()
            .is_some_and(|id| SCALARS.iter().any(|s| id == s)),
        Type::Paren(p) => is_scalar(&p.elem),
        Type::Group(g) => is_scalar(&g.elem),
        _ => false,
    }
}

/// Whether `ty` is `Array`, possibly parenthesised.
pub fn is_array(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.is_ident("Array"),
        Type::Paren(p) => is_array(&p.elem),
        Type::Group(g) => is_array(&g.elem),
        _ => false,
    }
}

/// Whether `ty` is `&Array` (any lifetime; not `&mut`).
pub fn is_array_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => r.mutability.is_none() && is_array(&r.elem),
        Type::Paren(p) => is_array_ref(&p.elem),
        Type::Group(g) => is_array_ref(&g.elem),
        _ => false,
    }
}

/// Whether a parameter of type `ty` is traced (unless it is static): a
/// scalar, `Array` or `&Array`.
pub fn is_traced_type(ty: &Type) -> bool {
    is_scalar(ty) || is_array(ty) || is_array_ref(ty)
}

/// The type the runtime's signature uses for a traced parameter: `Array`
/// for `&Array`, else `ty` itself.
pub fn traced_form(ty: &Type) -> Type {
    if is_array_ref(ty) {
        parse_quote!(Array)
    } else {
        ty.clone()
    }
}

/// Whether `ty` can be a `#[jit]` return type: a scalar, `Array`, or a
/// non-empty tuple of return types.
pub fn is_return_type(ty: &Type) -> bool {
    match ty {
        Type::Tuple(TypeTuple { elems, .. }) => {
            !elems.is_empty() && elems.iter().all(is_return_type)
        }
        Type::Paren(p) => is_return_type(&p.elem),
        Type::Group(g) => is_return_type(&g.elem),
        ty => is_scalar(ty) || is_array(ty),
    }
}

/// Whether `ty` can be declared as a `#[jit]` result: a return type (see
/// [`is_return_type`]) or `Result<T, E>` of one. The macro cannot resolve
/// `E`; the runtime's `JitReturn` is implemented for `E = jit::Error` only,
/// so another error type is a type error naming the accepted forms.
pub fn is_declared_return(ty: &Type) -> bool {
    is_return_type(ty) || result_ok_type(ty).is_some_and(is_return_type)
}

/// The declared result as the expansion uses it, and items to emit beside
/// it. `Result<T, E>` becomes `Result<T, jit::Error>` plus a check, spanned
/// at `E`, that `E` is `jit::Error`: a user's own error type is then one
/// "expected `Error`, found `MyError`" at the type, rather than a cascade of
/// unmet trait bounds across the expansion.
pub fn normalize_return(ty: &Type) -> (Type, TokenStream) {
    let Some((ok, err)) = result_types(ty) else {
        return (ty.clone(), TokenStream::new());
    };
    let error = paths::error();
    let check = quote_spanned! {err.span()=>
        const _: () = {
            fn __declared_error_is_jit_error(e: #err) -> #error {
                e
            }
        };
    };
    (parse_quote!(::core::result::Result<#ok, #error>), check)
}

/// `T` of a type written `Result<T, E>` (any path ending in `Result`).
fn result_ok_type(ty: &Type) -> Option<&Type> {
    result_types(ty).map(|(ok, _)| ok)
}

/// `T` and `E` of a type written `Result<T, E>` (any path ending in `Result`).
fn result_types(ty: &Type) -> Option<(&Type, &Type)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let (ok, err) = (types.next()?, types.next()?);
    (last.ident == "Result" && args.args.len() == 2).then_some((ok, err))
}

/// A readable list of the scalar types for error messages.
pub fn scalar_list() -> String {
    SCALARS.map(|s| format!("`{s}`")).join(", ")
}

/// A readable list of the types a traced parameter may have.
pub fn traced_list() -> String {
    format!("{}, `Array`, `&Array`", scalar_list())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_and_returns() {
        assert!(is_scalar(&parse_quote!(f32)));
        assert!(is_scalar(&parse_quote!((bool))));
        assert!(!is_scalar(&parse_quote!(usize)));
        assert!(!is_scalar(&parse_quote!(std::f32)));
        assert!(is_return_type(&parse_quote!((f32, (i32, bool)))));
        assert!(!is_return_type(&parse_quote!(())));
        assert!(!is_return_type(&parse_quote!(Vec<f32>)));
        assert!(is_declared_return(&parse_quote!(Result<f32, jit::Error>)));
        assert!(is_declared_return(&parse_quote!(
            std::result::Result<(f32, i32), Error>
        )));
        assert!(!is_declared_return(&parse_quote!(Result<Vec<f32>, Error>)));
        assert!(!is_declared_return(&parse_quote!(Result<f32>)));
        assert!(is_return_type(&parse_quote!((Array, f32))));
        assert!(is_traced_type(&parse_quote!(&'a Array)));
        assert!(!is_traced_type(&parse_quote!(&mut Array)));
        assert!(!is_traced_type(&parse_quote!(Vec<Array>)));
        assert!(!is_return_type(&parse_quote!(Result<f32, Error>)));
    }
}
