//! The typed client of a service and its builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::plan::{MethodPlan, ServicePlan};

pub(super) fn generate(plan: &ServicePlan<'_>) -> TokenStream {
    let mut out = client(plan);
    out.extend(builder(plan));
    out
}

fn client(plan: &ServicePlan<'_>) -> TokenStream {
    let n = &plan.names;
    let (ident, builder, request, response) = (&n.client, &n.builder, &n.request, &n.response);
    let doc = format!(
        " A client of the `{}` service: one method per IDL method. Cheap to clone (clones share connections).",
        plan.idl_name
    );
    let methods = plan.methods.iter().map(|m| method(plan, m));
    // Oneway calls take no options, so a client of oneway methods only has none.
    let (opt_field, opt_init, with_call_opt) = if plan.has_replies() {
        (
            quote!(opt: ::std::option::Option<::volo_thrift::__codegen::CallOpt>,),
            quote!(opt: ::std::option::Option::None,),
            quote! {
                /// A client whose calls (not oneway ones) use `opt` (timeouts, a fixed
                /// address); it shares this client's connections.
                #[must_use]
                pub fn with_call_opt(&self, opt: ::volo_thrift::__codegen::CallOpt) -> Self {
                    Self {
                        client: ::std::clone::Clone::clone(&self.client),
                        opt: ::std::option::Option::Some(opt),
                    }
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    };
    quote! {
        #[doc = #doc]
        ///
        /// Build it with [`builder`](Self::builder).
        #[derive(Debug, Clone)]
        pub struct #ident {
            client: ::volo_thrift::__codegen::Client<#request, #response>,
            #opt_field
        }

        impl #ident {
            /// A builder for a client of the callee named `service_name` (used by
            /// discovery and sent in TTHeader).
            pub fn builder(
                service_name: impl ::std::convert::Into<::pilota::FastStr>,
            ) -> #builder<
                ::volo_thrift::__codegen::DummyDiscover,
                ::volo_thrift::__codegen::WeightedRandom<()>,
                ::volo_thrift::__codegen::Identity,
                ::volo_thrift::__codegen::Identity,
            > {
                #builder {
                    inner: ::volo_thrift::__codegen::ClientBuilder::new(service_name),
                }
            }

            /// A typed client over a generic volo-thrift client.
            pub fn from_client(client: ::volo_thrift::__codegen::Client<#request, #response>) -> Self {
                Self { client, #opt_init }
            }

            /// The generic volo-thrift client underneath.
            pub fn client(&self) -> &::volo_thrift::__codegen::Client<#request, #response> {
                &self.client
            }

            #with_call_opt

            #(#methods)*
        }
    }
}

/// One client method.
fn method(plan: &ServicePlan<'_>, m: &MethodPlan<'_>) -> TokenStream {
    let (request, response) = (&plan.names.request, &plan.names.response);
    let (f, v, name, args_ty) = (&m.fn_name, &m.variant, m.name, &m.args_ty);
    let params = m.args.iter().map(|a| {
        let (name, ty) = (&a.ident, &a.ty);
        quote!(#name: #ty)
    });
    let fields = m.args.iter().map(|a| {
        let name = &a.ident;
        if a.defaulted {
            quote!(#name: ::std::option::Option::Some(#name),)
        } else {
            quote!(#name,)
        }
    });
    let unknown = plan.keeps_unknown_fields.then(|| {
        // The field pilota-build adds to every struct that keeps unknown fields.
        let field = quote::format_ident!("_unknown_fields");
        quote!(#field: ::std::default::Default::default(),)
    });
    let build = quote! {
        let __req = #request::#v(#args_ty { #(#fields)* #unknown });
    };
    let allow = ServicePlan::lint_allows(m);
    let idl_docs = docs(m.method.docs.as_deref());
    let sep = (!idl_docs.is_empty()).then(|| quote!(#[doc = ""]));
    let Some(result) = &m.result_ty else {
        let doc = format!(" Sends `{name}` (oneway): returns once the request is written.");
        return quote! {
            #idl_docs
            #sep
            #[doc = #doc]
            #allow
            pub async fn #f(&self, #(#params),*) -> ::std::result::Result<(), ::volo_thrift::__codegen::ClientError> {
                #build
                self.client.oneway(#name, __req).await
            }
        };
    };
    let ret = &m.ret;
    let call = quote! {
        match &self.opt {
            ::std::option::Option::Some(opt) => {
                self.client.call_with(::std::clone::Clone::clone(opt), #name, __req).await
            }
            ::std::option::Option::None => self.client.call(#name, __req).await,
        }
    };
    let into = m.exception_enum.is_some().then(|| quote!(.into()));
    let other = (plan.response_variants() > 1).then(|| {
        quote!(_ => ::std::result::Result::Err(::volo_thrift::__codegen::unexpected_reply(#name)#into),)
    });
    let doc = format!(" Calls `{name}`.");
    let (err, exceptions) = match &m.exception_enum {
        None => (quote!(::volo_thrift::__codegen::ClientError), Vec::new()),
        Some(exc) => {
            let (call_error, exc) = (&m.call_error, &exc.path);
            let arms = m
                .exceptions
                .iter()
                .map(|(ev, _)| {
                    quote! {
                        #response::#v(#result::#ev(e)) => {
                            ::std::result::Result::Err(#call_error::Exception(#exc::#ev(e)))
                        }
                    }
                })
                .collect();
            (quote!(#call_error<#exc>), arms)
        }
    };
    quote! {
        #idl_docs
        #sep
        #[doc = #doc]
        #allow
        pub async fn #f(&self, #(#params),*) -> ::std::result::Result<#ret, #err> {
            #build
            let __resp = #call?;
            match __resp {
                #response::#v(#result::Ok(value)) => ::std::result::Result::Ok(value),
                #(#exceptions)*
                #other
            }
        }
    }
}

/// `SvcClientBuilder`: volo-thrift's client builder, building a typed client.
fn builder(plan: &ServicePlan<'_>) -> TokenStream {
    let n = &plan.names;
    let (ident, client, request, response) = (&n.builder, &n.client, &n.request, &n.response);
    let doc = format!(
        " Builds a [`{client}`]: where to call (an address, or discovery and load balancing), how (format, transport, timeouts) and the layers. The options are those of volo-thrift's client builder."
    );
    let cg = quote!(::volo_thrift::__codegen);
    quote! {
        #[doc = #doc]
        #[must_use]
        pub struct #ident<D, LB, IL, OL> {
            inner: #cg::ClientBuilder<D, LB, IL, OL>,
        }

        impl<D, LB, IL, OL> ::std::fmt::Debug for #ident<D, LB, IL, OL> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(::std::stringify!(#ident)).finish_non_exhaustive()
            }
        }

        impl<D, LB, IL, OL> #ident<D, LB, IL, OL> {
            /// Calls one fixed address.
            pub fn address(
                self,
                address: impl ::std::convert::Into<#cg::Address>,
            ) -> #ident<#cg::StaticDiscover, #cg::WeightedRandom<()>, IL, OL> {
                #ident { inner: self.inner.address(address) }
            }

            /// Finds the callee's instances with `discover` (weighted random
            /// load balancing unless [`load_balance`](Self::load_balance) says otherwise).
            pub fn discover<D2: #cg::Discover>(
                self,
                discover: D2,
            ) -> #ident<D2, #cg::WeightedRandom<D2::Key>, IL, OL> {
                #ident { inner: self.inner.discover(discover) }
            }

            /// Picks instances with `load_balance`.
            pub fn load_balance<LB2>(self, load_balance: LB2) -> #ident<D, LB2, IL, OL> {
                #ident { inner: self.inner.load_balance(load_balance) }
            }

            /// Adds a layer between load balancing and the transport, inside the
            /// inner layers added so far.
            pub fn layer_inner<L>(self, layer: L) -> #ident<D, LB, #cg::Stack<L, IL>, OL> {
                #ident { inner: self.inner.layer_inner(layer) }
            }

            /// Adds a layer outside load balancing, inside the outer layers added
            /// so far.
            pub fn layer_outer<L>(self, layer: L) -> #ident<D, LB, IL, #cg::Stack<L, OL>> {
                #ident { inner: self.inner.layer_outer(layer) }
            }

            /// The caller's service name, sent in TTHeader.
            pub fn caller_name(self, name: impl ::std::convert::Into<::pilota::FastStr>) -> Self {
                #ident { inner: self.inner.caller_name(name) }
            }

            /// Sends this service's IDL name as TTHeader `isn`, so that a server
            /// hosting several services (a `volo_thrift::server::Router`, Kitex
            /// multi-service) routes the calls to it. Off by default.
            pub fn isn(self) -> Self {
                #ident { inner: self.inner.isn(<#request as #cg::NamedService>::SERVICE_NAME) }
            }

            /// The format requests are sent in (default: TTHeader, framed binary).
            pub fn format(self, format: #cg::Format) -> Self {
                #ident { inner: self.inner.format(format) }
            }

            /// The default timeout of a call.
            pub fn rpc_timeout(self, timeout: ::std::time::Duration) -> Self {
                #ident { inner: self.inner.rpc_timeout(timeout) }
            }

            /// The default connect timeout.
            pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
                #ident { inner: self.inner.connect_timeout(timeout) }
            }

            /// The largest frame written or read.
            pub fn max_frame_size(self, max: usize) -> Self {
                #ident { inner: self.inner.max_frame_size(max) }
            }

            /// Uses a connection pool with `config` (the default transport).
            pub fn pool(self, config: #cg::PoolConfig) -> Self {
                #ident { inner: self.inner.pool(config) }
            }

            /// Multiplexes calls over one connection per host.
            pub fn multiplex(self) -> Self {
                #ident { inner: self.inner.multiplex() }
            }

            /// Builds the client.
            pub fn build(self) -> #client
            where
                D: #cg::Discover,
                LB: #cg::LoadBalance<D>,
                IL: #cg::Layer<#cg::Transport<#response>>,
                IL::Service: #cg::Service<
                        #cg::ClientContext,
                        #request,
                        Response = ::std::option::Option<#response>,
                        Error = #cg::ClientError,
                    > + ::std::marker::Send
                    + ::std::marker::Sync
                    + 'static,
                OL: #cg::Layer<#cg::LoadBalanced<D, LB, IL::Service>>,
                OL::Service: #cg::Service<
                        #cg::ClientContext,
                        #request,
                        Response = ::std::option::Option<#response>,
                        Error = #cg::ClientError,
                    > + ::std::clone::Clone
                    + ::std::marker::Send
                    + ::std::marker::Sync
                    + 'static,
            {
                #client::from_client(self.inner.build())
            }
        }
    }
}
