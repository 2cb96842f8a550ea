//! The request and response enums of a service and their `EntryMessage` and
//! `NamedService` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::plan::ServicePlan;

pub(super) fn generate(plan: &ServicePlan<'_>) -> TokenStream {
    let mut out = request(plan);
    out.extend(response(plan));
    out
}

/// `impl NamedService` for a request or response enum.
fn named(plan: &ServicePlan<'_>, ty: &proc_macro2::Ident) -> TokenStream {
    let name = plan.idl_name.as_str();
    quote! {
        impl ::volo_thrift::__codegen::NamedService for #ty {
            const SERVICE_NAME: &'static str = #name;
        }
    }
}

fn request(plan: &ServicePlan<'_>) -> TokenStream {
    let ident = &plan.names.request;
    let doc = format!(
        " Every request of the `{}` service: a variant per method, holding its arguments.",
        plan.idl_name
    );
    let variants = plan.methods.iter().map(|m| {
        let (v, args) = (&m.variant, &m.args_ty);
        let doc = format!(" A call of `{}`.", m.name);
        quote!(#[doc = #doc] #v(#args),)
    });
    let names = plan.methods.iter().map(|m| {
        let (v, name) = (&m.variant, m.name);
        quote!(#ident::#v(_) => #name,)
    });
    let encode = plan.methods.iter().map(|m| {
        let v = &m.variant;
        quote!(#ident::#v(args) => ::pilota::thrift::Message::encode(args, p),)
    });
    let decode = plan.methods.iter().map(|m| {
        let (v, name, args) = (&m.variant, m.name, &m.args_ty);
        quote!(#name => #ident::#v(<#args as ::pilota::thrift::Message>::decode(p)?),)
    });
    let size = plan.methods.iter().map(|m| {
        let v = &m.variant;
        quote!(#ident::#v(args) => ::pilota::thrift::Message::size(args, p),)
    });
    let named = named(plan, ident);
    let scrutinee = scrutinee(plan.methods.is_empty());
    let decode = decode_body(decode.collect());
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl #ident {
            /// The IDL name of the method this request calls (the name on the wire).
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

fn response(plan: &ServicePlan<'_>) -> TokenStream {
    let ident = &plan.names.response;
    let doc = format!(
        " Every response of the `{}` service: a variant per method that is not oneway, holding its result.",
        plan.idl_name
    );
    let replying: Vec<_> = plan
        .methods
        .iter()
        .filter_map(|m| m.result_ty.as_ref().map(|r| (m, r)))
        .collect();
    let mut variants: Vec<TokenStream> = replying
        .iter()
        .map(|(m, result)| {
            let v = &m.variant;
            let doc = format!(" The result of `{}`.", m.name);
            quote!(#[doc = #doc] #v(#result),)
        })
        .collect();
    let mut names: Vec<TokenStream> = replying
        .iter()
        .map(|(m, _)| {
            let (v, name) = (&m.variant, m.name);
            quote!(#ident::#v(_) => #name,)
        })
        .collect();
    let mut encode: Vec<TokenStream> = replying
        .iter()
        .map(|(m, _)| {
            let v = &m.variant;
            quote!(#ident::#v(result) => ::pilota::thrift::Message::encode(result, p),)
        })
        .collect();
    let mut size: Vec<TokenStream> = replying
        .iter()
        .map(|(m, _)| {
            let v = &m.variant;
            quote!(#ident::#v(result) => ::pilota::thrift::Message::size(result, p),)
        })
        .collect();
    let decode = replying.iter().map(|(m, result)| {
        let (v, name) = (&m.variant, m.name);
        quote!(#name => #ident::#v(<#result as ::pilota::thrift::Message>::decode(p)?),)
    });
    if let Some(oneway) = &plan.oneway_variant {
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
    let decode = decode_body(decode.collect());
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl #ident {
            /// The IDL name of the method this response answers (empty for the
            /// oneway placeholder).
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
