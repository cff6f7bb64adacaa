//! Parsing of the `#[jit(...)]` attribute arguments into [`JitArgs`].
//!
//! Accepted forms: `#[jit]`, `#[jit(static = n)]`, `#[jit(static = (a, b))]`,
//! and `wrt = x` or `wrt = (a, b)` (the parameters `f::grad` differentiates
//! with respect to), comma-separated.
//! **Invariant:** every name in [`JitArgs::statics`] and [`JitArgs::wrt`]
//! appears once; whether it names a (traced) parameter is checked by
//! `expand.rs`, which knows the signature.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, parenthesized};

/// The parsed arguments of `#[jit(...)]`.
#[derive(Debug, Default)]
pub struct JitArgs {
    /// Parameters whose values are part of the cache key and stay plain Rust
    /// values inside the body, in the order written.
    pub statics: Vec<Ident>,
    /// `wrt = ...`: the parameters gradients are taken with respect to,
    /// and whether they were written as a tuple (the gradient is then a
    /// tuple too).
    pub wrt: Option<(Vec<Ident>, bool)>,
}

/// `name` or `(a, b, ..)`, and whether it was parenthesised.
fn names(input: ParseStream) -> syn::Result<(Vec<Ident>, bool)> {
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
        Ok((names.into_iter().collect(), true))
    } else {
        Ok((vec![input.parse::<Ident>()?], false))
    }
}

impl JitArgs {
    /// Whether `name` was listed in `static = ...`.
    pub fn is_static(&self, name: &Ident) -> bool {
        self.statics.iter().any(|s| s == name)
    }
}

impl Parse for JitArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut args = JitArgs::default();
        let mut seen_static = false;
        while !input.is_empty() {
            if input.peek(Token![static]) {
                let key: Token![static] = input.parse()?;
                if seen_static {
                    return Err(syn::Error::new(key.span, "`static` is given twice"));
                }
                seen_static = true;
                input.parse::<Token![=]>()?;
                for name in names(input)?.0 {
                    if args.is_static(&name) {
                        return Err(syn::Error::new(
                            name.span(),
                            format!("`{name}` is listed as static twice"),
                        ));
                    }
                    args.statics.push(name);
                }
            } else {
                let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
                if key != "wrt" {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown `jit` argument `{key}`; expected `static = name`, \
                             `static = (a, b)`, `wrt = name` or `wrt = (a, b)`"
                        ),
                    ));
                }
                if args.wrt.is_some() {
                    return Err(syn::Error::new(key.span(), "`wrt` is given twice"));
                }
                input.parse::<Token![=]>()?;
                let (list, tuple) = names(input)?;
                for (k, name) in list.iter().enumerate() {
                    if list[..k].contains(name) {
                        return Err(syn::Error::new(
                            name.span(),
                            format!("`{name}` is listed in `wrt` twice"),
                        ));
                    }
                }
                if list.is_empty() {
                    return Err(syn::Error::new(key.span(), "`wrt` lists no parameter"));
                }
                args.wrt = Some((list, tuple));
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> syn::Result<JitArgs> {
        syn::parse_str(s)
    }

    #[test]
    fn empty() {
        assert!(parse("").unwrap().statics.is_empty());
    }

    #[test]
    fn one_and_many() {
        assert_eq!(parse("static = n").unwrap().statics, ["n"]);
        assert_eq!(parse("static = (a, b,)").unwrap().statics, ["a", "b"]);
        assert_eq!(parse("static = n,").unwrap().statics, ["n"]);
    }

    #[test]
    fn errors() {
        let e = parse("donate = x").unwrap_err();
        assert!(e.to_string().contains("unknown `jit` argument `donate`"));
        assert!(
            parse("static = (a, a)")
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        assert!(parse("static = a, static = b").is_err());
        assert!(parse("static").is_err());
        assert!(
            parse("wrt = (a, a)")
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        assert!(parse("wrt = a, wrt = b").is_err());
    }

    #[test]
    fn wrt() {
        let args = parse("static = n, wrt = (w, b)").unwrap();
        let (names, tuple) = args.wrt.unwrap();
        assert_eq!(names, ["w", "b"]);
        assert!(tuple);
        let (names, tuple) = parse("wrt = x").unwrap().wrt.unwrap();
        assert_eq!(names, ["x"]);
        assert!(!tuple);
    }
}
