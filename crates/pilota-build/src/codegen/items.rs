//! Dispatch over item kinds, plus the small ones: enums, aliases and constants.

use proc_macro2::TokenStream;
use quote::quote;

use super::message::StructSpec;
use super::ty::{Caps, RTy, TyOpts};
use super::union::{UnionKind, UnionSpec};
use super::{Context, Error, int_lit, names};
use crate::model::{Enum, Item, ItemKind, ModelPath, Ty, Value};

impl Context<'_> {
    /// All the code for one item.
    pub(crate) fn item(&self, path: &ModelPath, item: &Item) -> Result<TokenStream, Vec<Error>> {
        let Some(ident) = self.item_ident(path) else {
            return Ok(TokenStream::new());
        };
        let at = |e: Error| vec![e.at(item.loc.clone())];
        match &item.kind {
            ItemKind::Message(m) | ItemKind::Exception(m) => {
                let names = self.analysis.fields.get(path).cloned().unwrap_or_default();
                let fields = self.plan_fields(Some(path), &m.fields, &names)?;
                let spec = StructSpec {
                    item,
                    ident: ident.clone(),
                    fields,
                    caps: self.item_caps(path),
                };
                let mut out = self.gen_struct(&spec)?;
                if matches!(item.kind, ItemKind::Exception(_)) {
                    out.extend(self.gen_error_impls(&spec));
                }
                Ok(out)
            }
            ItemKind::Union(m) => {
                let names = self.analysis.fields.get(path).cloned().unwrap_or_default();
                let variants = self.plan_fields(Some(path), &m.fields, &names)?;
                self.gen_union(&UnionSpec {
                    item,
                    ident,
                    variants,
                    caps: self.item_caps(path),
                    kind: UnionKind::Union,
                })
            }
            ItemKind::Enum(e) => Ok(self.gen_enum(path, item, e)),
            ItemKind::Alias(ty) => {
                let rty = self
                    .resolver()
                    .resolve(ty, TyOpts::from_attrs(&item.attrs))
                    .map_err(at)?;
                let ty = self.rty_tokens(&rty);
                let docs = Self::docs(item.docs.as_deref());
                let attrs = self.item_attrs(item);
                Ok(quote! { #docs #(#attrs)* pub type #ident = #ty; })
            }
            ItemKind::Const { ty, value } => self.gen_const(&ident, item, ty, value).map_err(at),
            ItemKind::Service(service) => self.gen_service(path, item, service),
        }
    }

    /// `Display` and `std::error::Error` for an exception. `Display` shows the IDL name
    /// and, when the exception has a string field named `message` (or `msg`), its text.
    fn gen_error_impls(&self, spec: &StructSpec<'_, '_>) -> TokenStream {
        let ident = &spec.ident;
        let name = spec.item.name.as_str();
        let message = spec.fields.iter().find(|f| {
            matches!(f.ty, RTy::FastStr | RTy::String)
                && matches!(f.field.name.as_str(), "message" | "msg")
                && f.wrapper == super::message::Wrapper::None
        });
        let with_message = format!("{name}: {{}}");
        let body = match message {
            Some(field) if field.optional => {
                let f = &field.ident;
                quote! {
                    match &self.#f {
                        ::std::option::Option::Some(message) => {
                            ::std::write!(f, #with_message, message)
                        }
                        ::std::option::Option::None => f.write_str(#name),
                    }
                }
            }
            Some(field) => {
                let f = &field.ident;
                quote!(::std::write!(f, #with_message, self.#f))
            }
            None => quote!(f.write_str(#name)),
        };
        quote! {
            impl ::std::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }

            impl ::std::error::Error for #ident {}
        }
    }

    /// An enum: a newtype over `i32` with a constant per value.
    fn gen_enum(&self, path: &ModelPath, item: &Item, e: &Enum) -> TokenStream {
        let Some(ident) = self.item_ident(path) else {
            return TokenStream::new();
        };
        let names = self
            .analysis
            .variants
            .get(path)
            .cloned()
            .unwrap_or_default();
        let mut consts = Vec::new();
        let mut by_value = Vec::new();
        let mut by_name = Vec::new();
        let mut seen_values = std::collections::HashSet::new();
        for (variant, name) in e.variants.iter().zip(&names) {
            let docs = Self::docs(variant.docs.as_deref());
            let name = names::ident(name);
            let value = int_lit(variant.value.into());
            consts.push(quote! { #docs pub const #name: Self = Self(#value); });
            let idl = variant.name.as_str();
            if seen_values.insert(variant.value) {
                by_value.push(quote!(#value => ::std::option::Option::Some(#idl),));
            }
            by_name.push(quote!(#idl => ::std::option::Option::Some(Self::#name),));
        }
        let docs = Self::docs(item.docs.as_deref());
        let attrs = self.item_attrs(item);
        let debug_known = format!("{}::{{}}", item.name);
        let debug_unknown = format!("{}({{}})", item.name);
        // An enum without values has nothing to match.
        let (name_body, name_param, from_name_body) = if e.variants.is_empty() {
            (
                quote!(::std::option::Option::None),
                quote!(_name),
                quote!(::std::option::Option::None),
            )
        } else {
            (
                quote! {
                    match self.0 {
                        #(#by_value)*
                        _ => ::std::option::Option::None,
                    }
                },
                quote!(name),
                quote! {
                    match name {
                        #(#by_name)*
                        _ => ::std::option::Option::None,
                    }
                },
            )
        };
        let doc_inner = " The raw value (any `i32` is kept, declared or not).";
        quote! {
            #docs
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            #(#attrs)*
            pub struct #ident(#[doc = #doc_inner] pub i32);

            impl #ident {
                #(#consts)*

                /// The IDL name of this value, or `None` for a value the IDL does not declare.
                pub fn name(self) -> ::std::option::Option<&'static str> {
                    #name_body
                }

                /// The value with this IDL name.
                pub fn from_name(#name_param: &str) -> ::std::option::Option<Self> {
                    #from_name_body
                }
            }

            impl ::std::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self.name() {
                        ::std::option::Option::Some(name) => f.write_str(name),
                        ::std::option::Option::None => ::std::write!(f, "{}", self.0),
                    }
                }
            }

            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self.name() {
                        ::std::option::Option::Some(name) => ::std::write!(f, #debug_known, name),
                        ::std::option::Option::None => ::std::write!(f, #debug_unknown, self.0),
                    }
                }
            }

            impl ::std::convert::From<i32> for #ident {
                fn from(value: i32) -> Self {
                    Self(value)
                }
            }

            impl ::std::convert::From<#ident> for i32 {
                fn from(value: #ident) -> Self {
                    value.0
                }
            }
        }
    }

    /// A constant: `pub const` when Rust can build it at compile time, else a
    /// `LazyLock` static.
    fn gen_const(
        &self,
        ident: &proc_macro2::Ident,
        item: &Item,
        ty: &Ty,
        value: &Value,
    ) -> Result<TokenStream, Error> {
        let rty = self
            .resolver()
            .resolve(ty, TyOpts::from_attrs(&item.attrs))?;
        let docs = Self::docs(item.docs.as_deref());
        let attrs = self.item_attrs(item);
        let (ty_tokens, expr) = match (&rty, value) {
            (RTy::FastStr | RTy::String, Value::String(s)) => (quote!(&str), quote!(#s)),
            (RTy::Bytes, Value::String(s)) => {
                let lit = proc_macro2::Literal::byte_string(s.as_bytes());
                (quote!(&[u8]), quote!(#lit))
            }
            _ if rty.is_copy() => (self.rty_tokens(&rty), self.value_expr(value, &rty)?),
            _ => {
                let ty = self.rty_tokens(&rty);
                let expr = self.value_expr(value, &rty)?;
                return Ok(quote! {
                    #docs
                    #(#attrs)*
                    pub static #ident: ::std::sync::LazyLock<#ty> = ::std::sync::LazyLock::new(|| #expr);
                });
            }
        };
        Ok(quote! { #docs #(#attrs)* pub const #ident: #ty_tokens = #expr; })
    }

    /// What a message-like item can derive (nothing beyond the basics if unknown).
    fn item_caps(&self, path: &ModelPath) -> Caps {
        self.analysis.caps.get(path).copied().unwrap_or(Caps {
            eq: false,
            hash: false,
            ord: false,
        })
    }

    /// What a set of plans allows the containing type to derive.
    pub(crate) fn caps_of(&self, types: impl IntoIterator<Item = RTy>, unknown: bool) -> Caps {
        let resolver = self.resolver();
        let start = Caps {
            eq: true,
            hash: !unknown,
            ord: false,
        };
        types
            .into_iter()
            .fold(start, |caps, ty| caps.and(resolver.caps(&ty)))
    }
}
