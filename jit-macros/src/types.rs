//! Which Rust types the macros treat as traced scalars, and their rewriting.
//!
//! **Invariant:** the list of scalar types lives here only: `f32 f64 i32 i64
//! u32 bool`, written as a single bare identifier (a qualified path such as
//! `core::primitive::f32` is not recognised, on purpose: the macro sees names).

use syn::{Type, TypeTuple};

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

/// Whether `ty` can be a `#[jit]` return type: a scalar or a non-empty tuple
/// of return types.
pub fn is_return_type(ty: &Type) -> bool {
    match ty {
        Type::Tuple(TypeTuple { elems, .. }) => {
            !elems.is_empty() && elems.iter().all(is_return_type)
        }
        Type::Paren(p) => is_return_type(&p.elem),
        Type::Group(g) => is_return_type(&g.elem),
        ty => is_scalar(ty),
    }
}

/// A readable list of the scalar types for error messages.
pub fn scalar_list() -> String {
    SCALARS.map(|s| format!("`{s}`")).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn scalars_and_returns() {
        assert!(is_scalar(&parse_quote!(f32)));
        assert!(is_scalar(&parse_quote!((bool))));
        assert!(!is_scalar(&parse_quote!(usize)));
        assert!(!is_scalar(&parse_quote!(std::f32)));
        assert!(is_return_type(&parse_quote!((f32, (i32, bool)))));
        assert!(!is_return_type(&parse_quote!(())));
        assert!(!is_return_type(&parse_quote!(Vec<f32>)));
    }
}
