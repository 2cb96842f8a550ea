//! Motore: the middleware abstraction for async RPC.
//!
//! A [`Service`] is an async function from a request to a response that also gets a
//! mutable per-call context: `async fn call(&self, cx: &mut Cx, req: Req) -> Result<..>`.
//! Its future is returned without boxing (`impl Future + Send`), so a stack of
//! middleware compiles down to nested futures with no allocation per call. A [`Layer`]
//! wraps one service in another; [`ServiceBuilder`] stacks layers, the first one added
//! outermost.
//!
//! What is here:
//!
//! - the traits: [`Service`], [`Layer`], and [`ServiceExt`] for adapters on any service;
//! - [`#[service]`](macro@service), which writes `type Response`/`type Error` and the
//!   `Send` future for an `async fn call`, so a middleware reads like a plain async fn;
//! - [`service_fn`] and [`layer_fn`] to make services and layers from functions;
//! - [`ServiceBuilder`], plus the generic layers in [`layer`]: [`Identity`](layer::Identity),
//!   [`Stack`](layer::Stack), tuples of layers, [`option_layer`](layer::option_layer),
//!   [`Either`](util::Either);
//! - middleware, each a service with its layer: [`timeout`], [`concurrency_limit`],
//!   [`catch_panic`], and the adapters in [`util`];
//! - type erasure: [`BoxService`](service::BoxService) and
//!   [`BoxCloneService`](service::BoxCloneService) (both `Send + Sync`),
//!   [`BoxLayer`](layer::BoxLayer) and [`BoxCloneLayer`](layer::BoxCloneLayer).
//!
//! Middleware that can fail on its own account ([`timeout`], [`catch_panic`]) returns a
//! [`BoxError`], so it stacks over any inner error type; find out what happened by
//! downcasting (`err.is::<timeout::Elapsed>()`). The crate has no feature flags.
//!
//! # Example
//!
//! A logging middleware written with `#[service]`, stacked over a slow service that the
//! timeout cuts off:
//!
//! ```
//! use std::{fmt::Debug, time::Duration};
//!
//! use motore::{BoxError, Service, ServiceBuilder, service, timeout::Elapsed};
//!
//! /// Prints each request and each failure.
//! struct Log<S> {
//!     inner: S,
//! }
//!
//! #[service]
//! impl<Cx, Req, S> Service<Cx, Req> for Log<S>
//! where
//!     Cx: Send,
//!     Req: Debug + Send,
//!     S: Service<Cx, Req> + Sync,
//!     S::Error: Debug,
//! {
//!     async fn call(&self, cx: &mut Cx, req: Req) -> Result<S::Response, S::Error> {
//!         println!("request: {req:?}");
//!         let result = self.inner.call(cx, req).await;
//!         if let Err(err) = &result {
//!             println!("failed: {err:?}");
//!         }
//!         result
//!     }
//! }
//!
//! /// Takes far longer than the caller is willing to wait.
//! async fn slow_hello(_cx: &mut (), name: String) -> Result<String, BoxError> {
//!     tokio::time::sleep(Duration::from_secs(60)).await;
//!     Ok(format!("hello, {name}"))
//! }
//!
//! #[tokio::main]
//! async fn main() {
//!     let svc = ServiceBuilder::new()
//!         .layer_fn(|inner| Log { inner }) // outermost: sees the timeout error
//!         .timeout(Some(Duration::from_millis(50)))
//!         .service_fn(slow_hello);
//!
//!     let err = svc.call(&mut (), "motore".to_owned()).await.unwrap_err();
//!     assert!(err.is::<Elapsed>(), "unexpected error: {err}");
//! }
//! ```

pub mod builder;
pub mod catch_panic;
pub mod concurrency_limit;
pub mod layer;
pub mod service;
pub mod timeout;
pub mod util;

pub use builder::ServiceBuilder;
pub use layer::{Layer, layer_fn};
pub use motore_macros::service;
pub use service::{Service, ServiceExt, service_fn};

/// A boxed error, the error type of the middleware that can fail on its own account
/// ([`timeout`], [`catch_panic`]). Downcast it to find out what happened.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
