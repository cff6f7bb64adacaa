//! Parsing of the `#[jit(...)]` attribute arguments into [`JitArgs`].
//!
//! Accepted forms: `#[jit]`, `#[jit(static = n)]`, `#[jit(static = (a, b))]`.
//! **Invariant:** every name in [`JitArgs::statics`] appears once; whether it
//! names a parameter is checked by `expand.rs`, which knows the signature.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, parenthesized};

/// The parsed arguments of `#[jit(...)]`.
#[derive(Debug, Default)]
pub struct JitArgs {
    /// Parameters whose values are part of the cache key and stay plain Rust
    /// values inside the body, in the order written.
    pub statics: Vec<Ident>,
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
                let names = if input.peek(syn::token::Paren) {
                    let content;
                    parenthesized!(content in input);
                    Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
                        .into_iter()
                        .collect()
                } else {
                    vec![input.parse::<Ident>()?]
                };
                for name in names {
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
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown `jit` argument `{key}`; expected `static = name` or `static = (a, b)`"
                    ),
                ));
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
    }
}
