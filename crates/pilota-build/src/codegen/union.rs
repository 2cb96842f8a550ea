//! Unions (and method results, which are unions on the wire) as Rust enums.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::analysis::UNKNOWN_VARIANT;
use super::codec::Val;
use super::message::FieldPlan;
use super::ty::Caps;
use super::{Context, Error, id_pattern, int_lit};
use crate::model::Item;

/// A union to generate: an IDL union or a method result.
pub(crate) struct UnionSpec<'a, 'f> {
    pub(crate) item: &'a Item,
    pub(crate) ident: Ident,
    /// One variant per field. For a non-void result, the first is `Ok` (field id 0).
    pub(crate) variants: Vec<FieldPlan<'f>>,
    pub(crate) caps: Caps,
    pub(crate) kind: UnionKind,
}

/// What a generated union stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnionKind {
    /// An IDL union.
    Union,
    /// The result of a method returning a value (its first variant is `Ok`).
    Result,
    /// The result of a `void` method: an `Ok(())` variant (named here) precedes the
    /// variants, and an empty struct on the wire decodes to it.
    VoidResult(Ident),
}

impl Context<'_> {
    /// A union with its `Default` and `Message` impls.
    pub(crate) fn gen_union(&self, spec: &UnionSpec<'_, '_>) -> Result<TokenStream, Vec<Error>> {
        let ident = &spec.ident;
        let item = spec.item;
        let wire_name = item.name.as_str();
        // A union without fields can only hold unknown fields: it keeps them always.
        let keep_unknown = (self.keeps_unknown_fields() || spec.variants.is_empty())
            && spec.kind == UnionKind::Union;
        let unknown = format_ident!("{}", UNKNOWN_VARIANT);

        let mut defs = Vec::new();
        let mut encode = Vec::new();
        let mut size = Vec::new();
        let mut arms = Vec::new();
        if let UnionKind::VoidResult(ok) = &spec.kind {
            defs.push(quote! { #ok(()), });
            encode.push(quote!(#ident::#ok(()) => {}));
            size.push(quote!(#ident::#ok(()) => {}));
        }
        for plan in &spec.variants {
            let name = &plan.ident;
            let docs = Self::docs(plan.field.docs.as_deref());
            let attrs = self.field_attrs(item, plan.field);
            let inner = self.inner_type(plan);
            defs.push(quote! { #docs #(#attrs)* #name(#inner), });
            let body = self.encode_field(plan, Val::Ref(quote!(value)));
            encode.push(quote!(#ident::#name(value) => { #body }));
            let (bind, len) = self.size_field(plan, Val::Ref(quote!(value)));
            size.push(quote!(#ident::#name(value) => { #bind size += #len; }));
            let tt = plan.ty.ttype();
            let id = int_lit(plan.id.into());
            let read = self.wrap(plan, self.decode_value(&plan.ty, 0));
            arms.push(if spec.kind != UnionKind::Union {
                quote! {
                    (#tt, #id) => result = ::std::option::Option::Some(#ident::#name(#read)),
                }
            } else {
                let message = format!("union `{wire_name}` has more than one field set");
                quote! {
                    (#tt, #id) => {
                        if result.is_some() {
                            return ::std::result::Result::Err(
                                ::pilota::thrift::DecodeError::invalid_data(#message),
                            );
                        }
                        result = ::std::option::Option::Some(#ident::#name(#read));
                    }
                }
            });
        }
        if keep_unknown {
            let attrs = self.unknown_fields_attrs(item);
            defs.push(quote! { #(#attrs)* #unknown(::pilota::thrift::UnknownFields), });
            encode.push(quote!(#ident::#unknown(fields) => p.write_unknown_fields(fields)?,));
            size.push(quote!(#ident::#unknown(fields) => size += p.unknown_fields_len(fields),));
        }

        let default_variant = if let UnionKind::VoidResult(ok) = &spec.kind {
            quote!(#ident::#ok(()))
        } else if let Some(first) = spec.variants.first() {
            let name = &first.ident;
            quote!(#ident::#name(::std::default::Default::default()))
        } else {
            quote!(#ident::#unknown(::pilota::thrift::UnknownFields::new()))
        };

        let ids: Vec<i16> = spec.variants.iter().map(|f| f.id).collect();
        let skip_mismatched = (!ids.is_empty()).then(|| {
            let pattern = id_pattern(&ids);
            quote!((_, #pattern) => p.skip(ttype)?,)
        });
        let (unknown_local, other_arm) = if keep_unknown {
            (
                quote!(let mut unknown_fields = ::pilota::thrift::UnknownFields::new();),
                quote!(_ => p.read_unknown_field(ttype, id, &mut unknown_fields)?,),
            )
        } else {
            (TokenStream::new(), quote!(_ => p.skip(ttype)?,))
        };
        let finish = match &spec.kind {
            UnionKind::VoidResult(ok) if spec.variants.is_empty() => {
                quote!(::std::result::Result::Ok(#ident::#ok(())))
            }
            UnionKind::VoidResult(ok) => {
                quote!(::std::result::Result::Ok(result.unwrap_or(#ident::#ok(()))))
            }
            UnionKind::Result => {
                let message =
                    format!("`{wire_name}` holds neither a result nor a declared exception");
                quote! {
                    result.ok_or_else(|| ::pilota::thrift::DecodeError::invalid_data(#message))
                }
            }
            // A union without fields holds whatever came, even nothing.
            UnionKind::Union if spec.variants.is_empty() => {
                quote!(::std::result::Result::Ok(#ident::#unknown(unknown_fields)))
            }
            UnionKind::Union => {
                let message = format!("union `{wire_name}` has no field set");
                let unknown_case = keep_unknown.then(|| {
                    quote! {
                        ::std::option::Option::None if !unknown_fields.is_empty() => {
                            ::std::result::Result::Ok(#ident::#unknown(unknown_fields))
                        }
                    }
                });
                quote! {
                    match result {
                        ::std::option::Option::Some(value) => ::std::result::Result::Ok(value),
                        #unknown_case
                        ::std::option::Option::None => ::std::result::Result::Err(
                            ::pilota::thrift::DecodeError::invalid_data(#message),
                        ),
                    }
                }
            }
        };
        let result_decl = if spec.variants.is_empty() {
            TokenStream::new()
        } else {
            quote!(let mut result: ::std::option::Option<#ident> = ::std::option::Option::None;)
        };

        // Only a void result without exceptions has nothing to count.
        let size_body = if spec.variants.is_empty() && !keep_unknown {
            quote!(p.struct_begin_len(#wire_name) + p.field_stop_len() + p.struct_end_len())
        } else {
            quote! {
                let mut size = p.struct_begin_len(#wire_name);
                match self {
                    #(#size)*
                }
                size + p.field_stop_len() + p.struct_end_len()
            }
        };
        let docs = Self::docs(item.docs.as_deref());
        let derives = Self::derives(spec.caps, false);
        let attrs = self.item_attrs(item);
        Ok(quote! {
            #docs
            #derives
            #(#attrs)*
            pub enum #ident {
                #(#defs)*
            }

            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    #default_variant
                }
            }

            impl ::pilota::thrift::Message for #ident {
                fn encode<P: ::pilota::thrift::TOutputProtocol>(
                    &self,
                    p: &mut P,
                ) -> ::std::result::Result<(), ::pilota::thrift::EncodeError> {
                    p.write_struct_begin(#wire_name)?;
                    match self {
                        #(#encode)*
                    }
                    p.write_field_stop()?;
                    p.write_struct_end()
                }

                fn decode<P: ::pilota::thrift::TInputProtocol>(
                    p: &mut P,
                ) -> ::std::result::Result<Self, ::pilota::thrift::DecodeError> {
                    #result_decl
                    #unknown_local
                    p.read_struct_begin()?;
                    loop {
                        let (ttype, id) = p.read_field_begin()?;
                        match (ttype, id) {
                            (::pilota::thrift::TType::Stop, _) => break,
                            #(#arms)*
                            #skip_mismatched
                            #other_arm
                        }
                        p.read_field_end()?;
                    }
                    p.read_struct_end()?;
                    #finish
                }

                fn size<P: ::pilota::thrift::TLengthProtocol>(&self, p: &mut P) -> usize {
                    #size_body
                }
            }
        })
    }
}
