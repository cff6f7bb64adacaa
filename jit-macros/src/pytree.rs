//! `#[derive(Pytree)]`: a struct whose fields are pytrees becomes one, so
//! `lax` loops can carry it and branches can return it; a generic struct
//! can also be a `#[jit]` parameter and result.
//!
//! Two shapes of struct:
//! - **Without type parameters** (`struct State { x: Tracer, n: Tracer }`):
//!   the struct is its own traced form (`type Traced = Self`), so each
//!   field must be a traced form too (`Tracer`, tuples, arrays or `Vec`s of
//!   them, other such structs). A field such as `f64` is a compile error at
//!   the field saying so (`TracedForm`).
//! - **Generic** (`struct Params<T = Array> { w: T, b: T }`): the traced
//!   form is the same struct over the leaves' traced forms
//!   (`Params<Tracer>`), so one struct serves outside and inside a trace.
//!   Besides `Pytree`, the derive implements what the `#[jit]` boundary
//!   needs: `ArgType` (a parameter), `JitArg` (what a parameter accepts:
//!   `Params<Array>`, `&Params`, or `Params<Tracer>` inside another trace),
//!   `JitReturn` and `ReturnValue` (a result). Each type parameter maps
//!   leaf to leaf, so fields are built from the type parameters (`T`,
//!   `Vec<T>`, `(T, T)`, ...).
//!
//! Fields flatten in declaration order.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Data, DeriveInput, Fields, GenericParam, Ident, Index, Type};

/// The `impl`s for `input`.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            name,
            "#[derive(Pytree)] supports structs only",
        ));
    };
    let fields: Vec<Field> = data
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field {
            access: match &f.ident {
                Some(id) => quote!(#id),
                None => {
                    let index = Index::from(i);
                    quote!(#index)
                }
            },
            ty: f.ty.clone(),
        })
        .collect();
    let type_params: Vec<Ident> = input
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(t.ident.clone()),
            _ => None,
        })
        .collect();
    if type_params.is_empty() {
        Ok(plain(&input, &data.fields, &fields))
    } else if input.generics.params.len() != type_params.len() {
        Err(syn::Error::new_spanned(
            &input.generics,
            "#[derive(Pytree)] takes type parameters only (no lifetimes or const parameters)",
        ))
    } else {
        Ok(generic(&input, &data.fields, &fields, &type_params))
    }
}

struct Field {
    access: TokenStream,
    ty: Type,
}

/// `Name { a: .., b: .. }`, `Name(.., ..)` or `Name` from one expression per field.
fn construct(name: &Ident, shape: &Fields, values: Vec<TokenStream>) -> TokenStream {
    match shape {
        Fields::Named(named) => {
            let idents = named.named.iter().map(|f| f.ident.as_ref().expect("named"));
            quote!(#name { #(#idents: #values),* })
        }
        Fields::Unnamed(_) => quote!(#name(#(#values),*)),
        Fields::Unit => quote!(#name),
    }
}

/// A struct without type parameters: its own traced form.
fn plain(input: &DeriveInput, shape: &Fields, fields: &[Field]) -> TokenStream {
    let name = &input.ident;
    let p = quote!(::jit::__private);
    let label = name.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let flatten = fields.iter().map(|f| {
        let (ty, access) = (&f.ty, &f.access);
        quote!(<#ty as #p::Pytree>::flatten(&self.#access, leaves))
    });
    // `TracedForm::from_traced` is the identity on a traced form; a field
    // that is not one (an `f64`) fails its bound, at the field.
    let rebuild = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let ty = &f.ty;
            let from = quote_spanned_at(ty, quote!(<#ty as #p::TracedForm>::from_traced));
            quote!(#from(<#ty as #p::Pytree>::unflatten(&children[#i], leaves)))
        })
        .collect();
    let body = construct(name, shape, rebuild);
    quote! {
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
        impl #impl_generics #p::TracedForm for #name #ty_generics #where_clause {
            fn from_traced(traced: Self) -> Self {
                traced
            }
        }
    }
}

/// `tokens` with every span set to `ty`'s, so an unmet bound points at the field.
fn quote_spanned_at(ty: &Type, tokens: TokenStream) -> TokenStream {
    let span = syn::spanned::Spanned::span(ty);
    tokens
        .into_iter()
        .map(|mut tt| {
            tt.set_span(span);
            tt
        })
        .collect()
}

/// `ty` with each of the type parameters `from` replaced by `to`.
fn substitute(ty: &Type, from: &[Ident], to: &[Ident]) -> Type {
    struct Sub<'a>(&'a [Ident], &'a [Ident]);
    impl VisitMut for Sub<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(p) = ty
                && p.qself.is_none()
                && let Some(id) = p.path.get_ident()
                && let Some(k) = self.0.iter().position(|f| f == id)
            {
                let new = &self.1[k];
                *ty = syn::parse_quote!(#new);
                return;
            }
            visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut ty = ty.clone();
    Sub(from, to).visit_type_mut(&mut ty);
    ty
}

/// Fresh type parameter names: `__D0`, `__D1`, ...
fn fresh(prefix: &str, n: usize) -> Vec<Ident> {
    (0..n)
        .map(|i| format_ident!("{}{}", prefix, i, span = Span::call_site()))
        .collect()
}

/// A generic struct: the traced form is the struct over the traced forms.
fn generic(input: &DeriveInput, shape: &Fields, fields: &[Field], params: &[Ident]) -> TokenStream {
    let name = &input.ident;
    let p = quote!(::jit::__private);
    let label = name.to_string();
    let n = params.len();
    let tys: Vec<&Type> = fields.iter().map(|f| &f.ty).collect();
    let accesses: Vec<&TokenStream> = fields.iter().map(|f| &f.access).collect();
    let indices: Vec<usize> = (0..fields.len()).collect();

    // Pytree.
    let pytree = {
        let traced_args = params.iter().map(|t| quote!(<#t as #p::Pytree>::Traced));
        let rebuild = tys
            .iter()
            .zip(&indices)
            .map(|(ty, i)| quote!(<#ty as #p::Pytree>::unflatten(&children[#i], leaves)))
            .collect();
        let body = construct(name, shape, rebuild);
        quote! {
            impl<#(#params: #p::Pytree),*> #p::Pytree for #name<#(#params),*>
            where #(#tys: #p::Pytree),*
            {
                type Traced = #name<#(#traced_args),*>;
                fn flatten(&self, leaves: &mut ::std::vec::Vec<#p::Tracer>) -> #p::TreeDef {
                    #p::TreeDef::Struct(
                        #label,
                        ::std::vec![#(<#tys as #p::Pytree>::flatten(&self.#accesses, leaves)),*],
                    )
                }
                fn unflatten(
                    def: &#p::TreeDef,
                    leaves: &mut dyn ::std::iter::Iterator<Item = #p::Tracer>,
                ) -> Self::Traced {
                    let children = #p::pytree_children(def, #label);
                    let _ = &children;
                    #body
                }
            }
        }
    };

    // ArgType: a parameter.
    let arg_type = {
        let traced_args = params.iter().map(|t| quote!(<#t as #p::ArgType>::Traced));
        let traced_fields = tys
            .iter()
            .zip(&accesses)
            .map(|(ty, a)| quote!(<#ty as #p::ArgType>::traced(&self.#a, inputs)))
            .collect();
        let constant_fields = tys
            .iter()
            .zip(&accesses)
            .map(|(ty, a)| quote!(<#ty as #p::ArgType>::constant(&self.#a)))
            .collect();
        let traced_body = construct(name, shape, traced_fields);
        let constant_body = construct(name, shape, constant_fields);
        quote! {
            impl<#(#params: #p::ArgType),*> #p::ArgType for #name<#(#params),*>
            where #(#tys: #p::ArgType),*
            {
                type Traced = #name<#(#traced_args),*>;
                const LEN: usize = 0 #(+ <#tys as #p::ArgType>::LEN)*;
                const SHAPED: bool = false #(|| <#tys as #p::ArgType>::SHAPED)*;
                fn avals(&self, out: &mut ::std::vec::Vec<#p::AVal>) {
                    #(<#tys as #p::ArgType>::avals(&self.#accesses, out);)*
                }
                fn shape_key(&self, out: &mut ::std::vec::Vec<usize>) {
                    #(<#tys as #p::ArgType>::shape_key(&self.#accesses, out);)*
                }
                #[allow(unused_assignments)]
                fn write_slots(&self, out: &mut [::core::mem::MaybeUninit<u64>]) {
                    let mut at = 0;
                    #(
                        <#tys as #p::ArgType>::write_slots(&self.#accesses, &mut out[at..]);
                        at += <#tys as #p::ArgType>::LEN;
                    )*
                }
                fn values(&self, out: &mut ::std::vec::Vec<#p::Value>) {
                    #(<#tys as #p::ArgType>::values(&self.#accesses, out);)*
                }
                fn traced(
                    &self,
                    inputs: &mut dyn ::std::iter::Iterator<Item = #p::Tracer>,
                ) -> Self::Traced {
                    #traced_body
                }
                fn constant(&self) -> Self::Traced {
                    #constant_body
                }
            }
        }
    };

    // JitArg: a parameter declared `Name<D..>` accepts `Name<A..>`.
    let jit_arg = {
        let ds = fresh("__D", n);
        let as_ = fresh("__A", n);
        let d_tys: Vec<Type> = tys.iter().map(|t| substitute(t, params, &ds)).collect();
        let a_tys: Vec<Type> = tys.iter().map(|t| substitute(t, params, &as_)).collect();
        let mode = a_tys
            .iter()
            .zip(&d_tys)
            .map(|(a, d)| quote!(<#a as #p::JitArg<#d>>::Mode))
            .reduce(|acc, m| quote!(<#acc as #p::Mode>::Or<#m>))
            .unwrap_or_else(|| quote!(#p::Concrete));
        let to_tracer = a_tys
            .iter()
            .zip(&d_tys)
            .zip(&accesses)
            .map(|((a, d), acc)| quote!(<#a as #p::JitArg<#d>>::to_tracer(self.#acc)))
            .collect();
        let concrete = a_tys
            .iter()
            .zip(&d_tys)
            .zip(&accesses)
            .map(|((a, d), acc)| quote!(<#a as #p::JitArg<#d>>::concrete(self.#acc)))
            .collect();
        let to_tracer = construct(name, shape, to_tracer);
        let concrete = construct(name, shape, concrete);
        quote! {
            impl<#(#ds: #p::ArgType,)* #(#as_),*> #p::JitArg<#name<#(#ds),*>> for #name<#(#as_),*>
            where
                #(#a_tys: #p::JitArg<#d_tys>,)*
                #(#d_tys: #p::ArgType,)*
            {
                type Mode = #mode;
                fn to_tracer(self) -> #name<#(<#ds as #p::ArgType>::Traced),*> {
                    #to_tracer
                }
                fn concrete(self) -> #name<#(#ds),*> {
                    #concrete
                }
            }
        }
    };

    // JitReturn and ReturnValue: a result.
    let jit_return = {
        let traced_args = params.iter().map(|t| quote!(<#t as #p::JitReturn>::Traced));
        let from_values = tys
            .iter()
            .map(|ty| quote!(<#ty as #p::JitReturn>::from_values(values)))
            .collect();
        let from_slots = tys
            .iter()
            .map(|ty| {
                quote!({
                    let value = <#ty as #p::JitReturn>::from_slots(&slots[at..]);
                    at += <#ty as #p::JitReturn>::LEN;
                    value
                })
            })
            .collect();
        let from_values = construct(name, shape, from_values);
        let from_slots = construct(name, shape, from_slots);
        let vs = fresh("__V", n);
        let v_tys: Vec<Type> = tys.iter().map(|t| substitute(t, params, &vs)).collect();
        let into_traced = v_tys
            .iter()
            .zip(&tys)
            .zip(&accesses)
            .map(|((v, t), acc)| quote!(<#v as #p::ReturnValue<#t>>::into_traced(self.#acc)))
            .collect();
        let into_traced = construct(name, shape, into_traced);
        quote! {
            impl<#(#params: #p::JitReturn),*> #p::JitReturn for #name<#(#params),*>
            where #(#tys: #p::JitReturn),*
            {
                type Traced = #name<#(#traced_args),*>;
                const LEN: usize = 0 #(+ <#tys as #p::JitReturn>::LEN)*;
                const SHAPED: bool = false #(|| <#tys as #p::JitReturn>::SHAPED)*;
                fn result_types(out: &mut ::std::vec::Vec<#p::ResultType>) {
                    #(<#tys as #p::JitReturn>::result_types(out);)*
                }
                fn flatten(
                    traced: Self::Traced,
                    out: &mut ::std::vec::Vec<#p::Tracer>,
                ) -> ::core::result::Result<(), #p::Error> {
                    #(<#tys as #p::JitReturn>::flatten(traced.#accesses, out)?;)*
                    ::core::result::Result::Ok(())
                }
                fn from_values(
                    values: &mut dyn ::std::iter::Iterator<Item = (#p::Value, #p::AVal)>,
                ) -> Self {
                    #from_values
                }
                #[allow(unused_assignments)]
                fn from_slots(slots: &[u64]) -> Self {
                    let mut at = 0;
                    #from_slots
                }
            }
            impl<#(#params: #p::JitReturn,)* #(#vs),*> #p::ReturnValue<#name<#(#params),*>>
                for #name<#(#vs),*>
            where
                #(#v_tys: #p::ReturnValue<#tys>,)*
                #(#tys: #p::JitReturn,)*
            {
                fn into_traced(self) -> #name<#(<#params as #p::JitReturn>::Traced),*> {
                    #into_traced
                }
            }
        }
    };

    quote! {
        #pytree
        #arg_type
        #jit_arg
        #jit_return
    }
}
