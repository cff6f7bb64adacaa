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

/// Whether `ty` is `f32` or `f64`, possibly parenthesised: a result that
/// has a gradient.
pub fn is_float_scalar(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p
            .path
            .get_ident()
            .is_some_and(|id| id == "f32" || id == "f64"),
        Type::Paren(p) => is_float_scalar(&p.elem),
        Type::Group(g) => is_float_scalar(&g.elem),
        _ => false,
    }
}

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

/// Whether a parameter of type `ty` is traced (unless it is static): a
/// scalar, `Array`, a tuple, `[T; N]` or `Vec<T>` of traced types, a
/// struct (a capitalised path other than std's containers: a
/// `#[derive(Pytree)]` struct, checked by the runtime's `ArgType` bound), or
/// a shared reference to one of these (at the top only: `&(f32, Array)`,
/// not `(f32, &Array)`).
pub fn is_traced_type(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => r.mutability.is_none() && is_traced_value(&r.elem),
        Type::Paren(p) => is_traced_type(&p.elem),
        Type::Group(g) => is_traced_type(&g.elem),
        ty => is_traced_value(ty),
    }
}

/// [`is_traced_type`] without a reference.
fn is_traced_value(ty: &Type) -> bool {
    match ty {
        Type::Paren(p) => is_traced_value(&p.elem),
        Type::Group(g) => is_traced_value(&g.elem),
        Type::Tuple(t) => !t.elems.is_empty() && t.elems.iter().all(is_traced_value),
        Type::Array(a) => is_traced_value(&a.elem),
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            if name == "Vec" {
                return generic_args(last)
                    .is_some_and(|args| args.iter().all(|t| is_traced_value(t)));
            }
            is_scalar(ty)
                || name.starts_with(|c: char| c.is_uppercase())
                    && !NOT_PYTREES.contains(&name.as_str())
        }
        _ => false,
    }
}

/// Whether `ty` names a struct that may be a pytree: a capitalised path
/// other than std's containers and `Vec` (checked by the runtime's traits).
fn is_struct(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|last| {
            let name = last.ident.to_string();
            name.starts_with(|c: char| c.is_uppercase())
                && name != "Vec"
                && !NOT_PYTREES.contains(&name.as_str())
        }),
        _ => false,
    }
}

/// Capitalised std types that are never traced parameters.
const NOT_PYTREES: [&str; 10] = [
    "String", "Option", "Box", "Rc", "Arc", "HashMap", "HashSet", "BTreeMap", "Range", "Result",
];

/// The type arguments of a path segment (`T` of `Vec<T>`).
fn generic_args(segment: &syn::PathSegment) -> Option<Vec<&Type>> {
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

/// Whether `ty` is a shared reference (`&T`, any lifetime).
pub fn is_reference(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => r.mutability.is_none(),
        Type::Paren(p) => is_reference(&p.elem),
        Type::Group(g) => is_reference(&g.elem),
        _ => false,
    }
}

/// The type the runtime's signature uses for a traced parameter: `T` for
/// `&T`, else `ty` itself.
pub fn traced_form(ty: &Type) -> Type {
    match ty {
        Type::Reference(r) => (*r.elem).clone(),
        Type::Paren(p) => traced_form(&p.elem),
        Type::Group(g) => traced_form(&g.elem),
        ty => ty.clone(),
    }
}

/// Whether `ty` can be a `#[jit]` return type: a scalar, `Array`, or a
/// non-empty tuple of return types.
pub fn is_return_type(ty: &Type) -> bool {
    match ty {
        Type::Tuple(TypeTuple { elems, .. }) => {
            !elems.is_empty() && elems.iter().all(is_return_type)
        }
        Type::Array(a) => is_return_type(&a.elem),
        Type::Paren(p) => is_return_type(&p.elem),
        Type::Group(g) => is_return_type(&g.elem),
        ty => is_scalar(ty) || is_array(ty) || is_struct(ty),
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
    format!(
        "{}, `Array`, tuples, arrays and `Vec`s of them, `#[derive(Pytree)]` structs, and `&` of any of these",
        scalar_list()
    )
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
        assert!(is_traced_type(&parse_quote!(Vec<Array>)));
        assert!(is_traced_type(&parse_quote!(&(f32, [Array; 2]))));
        assert!(is_traced_type(&parse_quote!(&Params)));
        assert!(!is_traced_type(&parse_quote!(usize)));
        assert!(!is_traced_type(&parse_quote!(String)));
        assert!(!is_traced_type(&parse_quote!(Vec<usize>)));
        assert!(!is_return_type(&parse_quote!(Result<f32, Error>)));
    }
}
