//! Helpers for the unit tests: run an expansion on source text and compare
//! token streams written as readable Rust.

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::attr::JitArgs;

/// Normalised token text of Rust source `code`.
pub fn norm(code: &str) -> String {
    code.parse::<TokenStream>()
        .expect("test code tokenizes")
        .to_string()
}

/// The expansion of `#[jit(attr)] item`, as tokens.
pub fn expand_fn(attr: &str, item: &str) -> TokenStream {
    let args: JitArgs = syn::parse_str(attr).expect("attribute parses");
    let item: syn::ItemFn = syn::parse_str(item).expect("item parses");
    crate::expand::expand(args, item)
}

/// The body of `__staged` in the expansion of `#[jit(attr)] item`, with the
/// `::jit::__private::` prefix removed for readability.
pub fn staged_body(attr: &str, item: &str) -> String {
    let file: syn::File = syn::parse2(expand_fn(attr, item)).expect("expansion parses");
    let module = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) => Some(m),
            _ => None,
        })
        .expect("a companion module");
    let staged = module
        .content
        .as_ref()
        .expect("inline module")
        .1
        .iter()
        .find_map(|i| match i {
            syn::Item::Fn(f) if f.sig.ident == "__staged" => Some(f),
            _ => None,
        })
        .expect("a staged function");
    unprefix(&staged.block.to_token_stream().to_string())
}

/// Removes the `:: jit :: __private ::` prefix from token text.
pub fn unprefix(text: &str) -> String {
    text.replace(":: jit :: __private :: ", "")
}

/// Whether two token texts are equal up to spacing (`::<` against `:: <`).
pub fn same_tokens(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(a) == squash(b)
}
