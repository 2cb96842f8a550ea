//! The error types, the handler trait and the server adapter of a service.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::plan::{MethodPlan, ServicePlan};

pub(super) fn generate(plan: &ServicePlan<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    if plan.needs_error_types() {
        out.extend(error_types(plan));
    }
    for m in plan.own_methods() {
        out.extend(exception_enum(plan, m));
    }
    out.extend(handler_trait(plan));
    out.extend(server(plan));
    out
}

/// `SvcHandlerError<E>` and `SvcCallError<E>`.
fn error_types(plan: &ServicePlan<'_>) -> TokenStream {
    let (handler, call) = (&plan.names.handler_error, &plan.names.call_error);
    let svc = &plan.idl_name;
    let handler_doc =
        format!(" Why a method of a `{svc}` handler with declared exceptions failed.");
    let call_doc = format!(" Why a call of a `{svc}` method with declared exceptions failed.");
    quote! {
        #[doc = #handler_doc]
        ///
        /// A declared exception is the method's reply, as the IDL says. Any other
        /// error reaches the client as an `ApplicationException`: the error itself
        /// if it is one, else `INTERNAL_ERROR` with the error's text.
        #[derive(Debug)]
        pub enum #handler<E> {
            /// One of the method's declared exceptions.
            Exception(E),
            /// Any other failure.
            Other(::volo_thrift::__codegen::BoxError),
        }

        impl<E> #handler<E> {
            /// Any other failure (not a declared exception).
            pub fn other(error: impl ::std::convert::Into<::volo_thrift::__codegen::BoxError>) -> Self {
                #handler::Other(error.into())
            }
        }

        impl<E: ::std::fmt::Display> ::std::fmt::Display for #handler<E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #handler::Exception(e) => ::std::fmt::Display::fmt(e, f),
                    #handler::Other(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl<E: ::std::error::Error + 'static> ::std::error::Error for #handler<E> {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #handler::Exception(e) => e.source(),
                    #handler::Other(e) => e.source(),
                }
            }
        }

        #[doc = #call_doc]
        #[derive(Debug)]
        pub enum #call<E> {
            /// The server answered with one of the method's declared exceptions.
            Exception(E),
            /// The call failed: connection, codec, timeout, or an
            /// `ApplicationException` from the server.
            Client(::volo_thrift::__codegen::ClientError),
        }

        impl<E> #call<E> {
            /// The declared exception, if the server answered with one.
            pub fn exception(&self) -> ::std::option::Option<&E> {
                match self {
                    #call::Exception(e) => ::std::option::Option::Some(e),
                    #call::Client(_) => ::std::option::Option::None,
                }
            }

            /// The client error, if the call failed otherwise.
            pub fn client_error(&self) -> ::std::option::Option<&::volo_thrift::__codegen::ClientError> {
                match self {
                    #call::Exception(_) => ::std::option::Option::None,
                    #call::Client(e) => ::std::option::Option::Some(e),
                }
            }
        }

        impl<E> ::std::convert::From<::volo_thrift::__codegen::ClientError> for #call<E> {
            fn from(error: ::volo_thrift::__codegen::ClientError) -> Self {
                #call::Client(error)
            }
        }

        impl<E: ::std::fmt::Display> ::std::fmt::Display for #call<E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #call::Exception(e) => ::std::fmt::Display::fmt(e, f),
                    #call::Client(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl<E: ::std::error::Error + 'static> ::std::error::Error for #call<E> {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #call::Exception(e) => e.source(),
                    #call::Client(e) => e.source(),
                }
            }
        }
    }
}

/// `SvcMethodException`: the declared exceptions of one method, with a
/// conversion into the handler error from each exception type.
fn exception_enum(plan: &ServicePlan<'_>, m: &MethodPlan<'_>) -> TokenStream {
    let Some(exc) = &m.exception_enum else {
        return TokenStream::new();
    };
    let ident = &exc.ident;
    let handler = &plan.names.handler_error;
    let doc = format!(
        " The declared exceptions of `{}.{}`.",
        plan.idl_name, m.name
    );
    let variants = m
        .exceptions
        .iter()
        .zip(&m.method.throws)
        .map(|((v, ty), field)| {
            let doc = format!(" `{}`.", field.name);
            quote!(#[doc = #doc] #v(#ty),)
        });
    let arms = |f: TokenStream| {
        let arms = m
            .exceptions
            .iter()
            .map(move |(v, _)| quote!(#ident::#v(e) => #f,));
        quote!(#(#arms)*)
    };
    let display = arms(quote!(::std::fmt::Display::fmt(e, f)));
    let source = arms(quote!(::std::option::Option::Some(e)));
    let mut seen = HashSet::new();
    let froms = m
        .exceptions
        .iter()
        .filter(|(_, ty)| seen.insert(ty.to_string()))
        .map(|(v, ty)| {
            quote! {
                impl ::std::convert::From<#ty> for #handler<#ident> {
                    fn from(e: #ty) -> Self {
                        #handler::Exception(#ident::#v(e))
                    }
                }
            }
        });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #display
                }
            }
        }

        impl ::std::error::Error for #ident {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #source
                }
            }
        }

        impl ::std::convert::From<#ident> for #handler<#ident> {
            fn from(e: #ident) -> Self {
                #handler::Exception(e)
            }
        }

        #(#froms)*
    }
}

/// The error type of a handler method.
fn handler_error_type(m: &MethodPlan<'_>) -> TokenStream {
    match &m.exception_enum {
        Some(exc) if !m.method.oneway => {
            let (err, exc) = (&m.handler_error, &exc.path);
            quote!(#err<#exc>)
        }
        _ => quote!(::volo_thrift::__codegen::BoxError),
    }
}

/// The handler trait: the service's own methods, the extended service's
/// trait as a supertrait.
fn handler_trait(plan: &ServicePlan<'_>) -> TokenStream {
    let ident = &plan.trait_ident;
    let server = &plan.names.server;
    let supertrait = match &plan.extends {
        Some(base) => quote!(#base +),
        None => TokenStream::new(),
    };
    let idl_docs = docs(plan.docs);
    let methods = plan.own_methods().iter().map(|m| {
        let f = &m.fn_name;
        let args = m.args.iter().map(|a| {
            let (name, ty) = (&a.ident, &a.ty);
            quote!(#name: #ty)
        });
        let ret = &m.ret;
        let err = handler_error_type(m);
        let idl_docs = docs(m.method.docs.as_deref());
        let doc = if m.method.oneway {
            format!(
                " Handles `{}` (oneway: the caller gets no reply, an error is only logged).",
                m.name
            )
        } else {
            format!(" Handles `{}`.", m.name)
        };
        let sep = (!idl_docs.is_empty()).then(|| quote!(#[doc = ""]));
        let allow = ServicePlan::lint_allows(m);
        quote! {
            #idl_docs
            #sep
            #[doc = #doc]
            #allow
            fn #f(&self, #(#args),*) -> impl ::std::future::Future<
                Output = ::std::result::Result<#ret, #err>,
            > + ::std::marker::Send;
        }
    });
    let doc = format!(
        " The `{}` service: implement it, and serve it with [`{server}`].",
        plan.idl_name
    );
    let sep = (!idl_docs.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #idl_docs
        #sep
        #[doc = #doc]
        pub trait #ident: #supertrait ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }
    }
}

/// `SvcServer<H>`: dispatches each request to the handler.
fn server(plan: &ServicePlan<'_>) -> TokenStream {
    let (ident, request, response) = (
        &plan.names.server,
        &plan.names.request,
        &plan.names.response,
    );
    let handler = &plan.trait_ident;
    let doc = format!(
        " Serves a [`{handler}`] handler: a `motore` service for `volo_thrift::server::Server::new`."
    );
    let arms = plan.methods.iter().map(|m| dispatch(plan, m));
    quote! {
        #[doc = #doc]
        pub struct #ident<H> {
            handler: ::std::sync::Arc<H>,
        }

        impl<H: #handler> #ident<H> {
            /// A server of `handler`.
            pub fn new(handler: H) -> Self {
                Self::from_arc(::std::sync::Arc::new(handler))
            }

            /// A server of a shared handler.
            pub fn from_arc(handler: ::std::sync::Arc<H>) -> Self {
                Self { handler }
            }

            /// The handler.
            pub fn handler(&self) -> &::std::sync::Arc<H> {
                &self.handler
            }
        }

        impl<H> ::std::clone::Clone for #ident<H> {
            fn clone(&self) -> Self {
                Self {
                    handler: ::std::sync::Arc::clone(&self.handler),
                }
            }
        }

        impl<H> ::std::fmt::Debug for #ident<H> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(::std::stringify!(#ident)).finish_non_exhaustive()
            }
        }

        impl<H: #handler> ::volo_thrift::__codegen::Service<::volo_thrift::__codegen::ServerContext, #request>
            for #ident<H>
        {
            type Response = #response;
            type Error = ::volo_thrift::__codegen::BoxError;

            async fn call(
                &self,
                _cx: &mut ::volo_thrift::__codegen::ServerContext,
                req: #request,
            ) -> ::std::result::Result<#response, ::volo_thrift::__codegen::BoxError> {
                match req {
                    #(#arms)*
                }
            }
        }
    }
}

/// The match arm that calls one handler method and turns its outcome into a
/// response or an error.
fn dispatch(plan: &ServicePlan<'_>, m: &MethodPlan<'_>) -> TokenStream {
    let (request, response) = (&plan.names.request, &plan.names.response);
    let (v, f) = (&m.variant, &m.fn_name);
    let args = m.args.iter().map(|a| {
        let name = &a.ident;
        if a.defaulted {
            quote!(__args.#name.unwrap_or_default())
        } else {
            quote!(__args.#name)
        }
    });
    let owner = &m.owner_trait;
    let call = quote!(<H as #owner>::#f(&self.handler, #(#args),*).await);
    let Some(result) = &m.result_ty else {
        let oneway = &plan.oneway_variant;
        return quote! {
            #request::#v(__args) => {
                #call?;
                ::std::result::Result::Ok(#response::#oneway)
            }
        };
    };
    let Some(exc) = &m.exception_enum else {
        return if m.method.result.is_some() {
            quote! {
                #request::#v(__args) => ::std::result::Result::Ok(#response::#v(#result::Ok(#call?))),
            }
        } else {
            quote! {
                #request::#v(__args) => {
                    #call?;
                    ::std::result::Result::Ok(#response::#v(#result::Ok(())))
                }
            }
        };
    };
    let (err, exc) = (&m.handler_error, &exc.path);
    let exceptions = m.exceptions.iter().map(|(ev, _)| {
        quote! {
            ::std::result::Result::Err(#err::Exception(#exc::#ev(e))) => {
                ::std::result::Result::Ok(#response::#v(#result::#ev(e)))
            }
        }
    });
    quote! {
        #request::#v(__args) => match #call {
            ::std::result::Result::Ok(value) => ::std::result::Result::Ok(#response::#v(#result::Ok(value))),
            #(#exceptions)*
            ::std::result::Result::Err(#err::Other(e)) => ::std::result::Result::Err(e),
        },
    }
}
