//! The request and response enums of a service and their `EntryMessage` and
//! `NamedService` impls.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::plan::ServicePlan;

pub(super) fn generate(plan: &ServicePlan<'_>) -> TokenStream {
    let mut out = request(plan);
    out.extend(response(plan));
    out
}

/// `impl NamedService` for a request or response enum.
fn named(plan: &ServicePlan<'_>, ty: &Ident) -> TokenStream {
    let name = plan.idl_name.as_str();
    quote! {
        impl ::volo_thrift::__codegen::NamedService for #ty {
            const SERVICE_NAME: &'static str = #name;
        }
    }
}

fn request(plan: &ServicePlan<'_>) -> TokenStream {
    let doc = format!(
        " Every request of the `{}` service: a variant per method, holding its arguments.",
        plan.idl_name
    );
    let arms = plan
        .methods
        .iter()
        .map(|m| Arm {
            variant: &m.variant,
            method: m.name,
            payload: &m.args_ty,
            doc: format!(" A call of `{}`.", m.name),
        })
        .collect();
    entry_enum(
        plan,
        &plan.names.request,
        &doc,
        " The IDL name of the method this request calls (the name on the wire).",
        arms,
        None,
    )
}

fn response(plan: &ServicePlan<'_>) -> TokenStream {
    let doc = format!(
        " Every response of the `{}` service: a variant per method that is not oneway, holding its result.",
        plan.idl_name
    );
    let arms = plan
        .methods
        .iter()
        .filter_map(|m| {
            m.result_ty.as_ref().map(|result| Arm {
                variant: &m.variant,
                method: m.name,
                payload: result,
                doc: format!(" The result of `{}`.", m.name),
            })
        })
        .collect();
    entry_enum(
        plan,
        &plan.names.response,
        &doc,
        " The IDL name of the method this response answers (empty for the oneway placeholder).",
        arms,
        plan.oneway_variant.as_ref(),
    )
}

/// One variant of a request or response enum: a method and what it carries.
struct Arm<'a> {
    variant: &'a Ident,
    method: &'a str,
    payload: &'a TokenStream,
    doc: String,
}

/// A request or response enum with its `method()`, `EntryMessage` and
/// `NamedService` impls; `oneway` adds the never-sent placeholder variant the
/// server's dispatcher answers oneway calls with.
fn entry_enum(
    plan: &ServicePlan<'_>,
    ident: &Ident,
    doc: &str,
    method_doc: &str,
    arms: Vec<Arm<'_>>,
    oneway: Option<&Ident>,
) -> TokenStream {
    let mut variants = Vec::with_capacity(arms.len() + 1);
    let mut names = Vec::with_capacity(arms.len() + 1);
    let mut encode = Vec::with_capacity(arms.len() + 1);
    let mut size = Vec::with_capacity(arms.len() + 1);
    let mut decode = Vec::with_capacity(arms.len());
    for Arm {
        variant: v,
        method,
        payload,
        doc,
    } in &arms
    {
        variants.push(quote!(#[doc = #doc] #v(#payload),));
        names.push(quote!(#ident::#v(_) => #method,));
        encode.push(quote!(#ident::#v(value) => ::pilota::thrift::Message::encode(value, p),));
        size.push(quote!(#ident::#v(value) => ::pilota::thrift::Message::size(value, p),));
        decode.push(
            quote!(#method => #ident::#v(<#payload as ::pilota::thrift::Message>::decode(p)?),),
        );
    }
    if let Some(oneway) = oneway {
        variants.push(quote! {
            /// What the server's dispatcher answers a oneway call with. A oneway
            /// call has no reply, so this is never sent or received.
            #oneway,
        });
        names.push(quote!(#ident::#oneway => "",));
        encode.push(quote!(#ident::#oneway => ::std::result::Result::Ok(()),));
        size.push(quote!(#ident::#oneway => 0,));
    }
    let named = named(plan, ident);
    let scrutinee = scrutinee(variants.is_empty());
    let decode = decode_body(decode);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl #ident {
            #[doc = #method_doc]
            pub fn method(&self) -> &'static str {
                match *self {
                    #(#names)*
                }
            }
        }

        impl ::volo_thrift::__codegen::EntryMessage for #ident {
            fn encode<P: ::pilota::thrift::TOutputProtocol>(
                &self,
                p: &mut P,
            ) -> ::std::result::Result<(), ::pilota::thrift::EncodeError> {
                let _ = &p;
                match #scrutinee {
                    #(#encode)*
                }
            }

            fn decode<P: ::pilota::thrift::TInputProtocol>(
                p: &mut P,
                id: &::pilota::thrift::TMessageIdentifier,
            ) -> ::std::result::Result<Self, ::volo_thrift::__codegen::CodecError> {
                #decode
            }

            fn size<P: ::pilota::thrift::TLengthProtocol>(&self, p: &mut P) -> usize {
                let _ = &p;
                match #scrutinee {
                    #(#size)*
                }
            }
        }

        #named
    }
}

/// `self` to match on, or `*self` for an enum without variants (a reference to
/// an uninhabited type is not matched by an empty `match`).
fn scrutinee(empty: bool) -> TokenStream {
    if empty { quote!(*self) } else { quote!(self) }
}

/// The body of `EntryMessage::decode`: pick the variant by method name.
fn decode_body(arms: Vec<TokenStream>) -> TokenStream {
    let unknown = quote! {
        ::std::result::Result::Err(::volo_thrift::__codegen::CodecError::unknown_method(other))
    };
    if arms.is_empty() {
        return quote! {
            let _ = &p;
            let other = id.name.as_str();
            #unknown
        };
    }
    quote! {
        ::std::result::Result::Ok(match id.name.as_str() {
            #(#arms)*
            other => return #unknown,
        })
    }
}
