//! `#[derive(Pytree)]`: a struct whose fields are pytrees becomes one, so
//! `lax` loops can carry it and branches can return it.
//!
//! The struct is its own traced form (`type Traced = Self`), so each field's
//! type must be a traced form too (`Tracer`, tuples, arrays or `Vec`s of
//! them, other derived structs); a field such as `f32` is a type error in the
//! generated `unflatten`. Fields flatten in declaration order.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Index};

/// The `impl Pytree` for `input`.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            name,
            "#[derive(Pytree)] supports structs only",
        ));
    };
    let p = quote!(::jit::__private);
    let label = name.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut flatten = Vec::new();
    let mut rebuild = Vec::new();
    for (i, field) in data.fields.iter().enumerate() {
        let ty = &field.ty;
        let access = match &field.ident {
            Some(id) => quote!(#id),
            None => {
                let index = Index::from(i);
                quote!(#index)
            }
        };
        flatten.push(quote!(<#ty as #p::Pytree>::flatten(&self.#access, leaves)));
        rebuild.push(quote!(#access: <#ty as #p::Pytree>::unflatten(&children[#i], leaves)));
    }
    let body = match &data.fields {
        Fields::Unit => quote!(#name),
        _ => quote!(#name { #(#rebuild),* }),
    };
    Ok(quote! {
        impl #impl_generics #p::Pytree for #name #ty_generics #where_clause {
            type Traced = Self;
            fn flatten(&self, leaves: &mut ::std::vec::Vec<#p::Tracer>) -> #p::TreeDef {
                #p::TreeDef::Struct(#label, ::std::vec![#(#flatten),*])
            }
            fn unflatten(
                def: &#p::TreeDef,
                leaves: &mut dyn ::std::iter::Iterator<Item = #p::Tracer>,
            ) -> Self {
                let children = #p::pytree_children(def, #label);
                let _ = &children;
                #body
            }
        }
    })
}
