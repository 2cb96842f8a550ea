//! The [`Service`] trait, building services from functions, and type-erased services.
//!
//! - [`Service`]: an async function from a request to a response, given a context;
//! - [`service_fn`]: a service from an `async fn(&mut Cx, Req) -> Result<_, _>`;
//! - [`ServiceExt`]: adapters (`map_request`, `map_err`, `and_then`, `boxed`, ...);
//! - [`BoxService`], [`BoxCloneService`]: services whose type is erased, for when the
//!   concrete stack cannot or should not be named.

use std::{future::Future, sync::Arc};

mod boxed;
mod ext;
mod service_fn;

pub use boxed::{BoxCloneService, BoxService};
pub use ext::ServiceExt;
pub use service_fn::{CallFn, ServiceFn, service_fn};

/// An asynchronous function from a request to a response, given a mutable context.
///
/// `Cx` is the per-call context (for RPC, the call's `RpcInfo` and extensions); the
/// service may read and update it, and the caller sees the updates after the call.
///
/// The returned future is `Send` and borrows `self` and `cx` for the duration of the
/// call, so implementations can be written as a plain `async fn` and need no boxing.
/// Callers may rely on the `Send` bound: a generic middleware can move an inner service's
/// future into its own without asking for `S: Sync`.
///
/// Two things to keep in mind when writing middleware:
///
/// - **Laziness is not guaranteed.** `call` may do synchronous work before returning the
///   future; middleware that must cover the whole call (like
///   [`ConcurrencyLimit`](crate::concurrency_limit::ConcurrencyLimit)) calls the inner
///   service from inside its own future.
/// - **Cancellation is dropping.** Dropping the future abandons the call; a service whose
///   work must not be interrupted halfway has to be written to tolerate that (see
///   [`Timeout`](crate::timeout::Timeout)).
///
/// The [`#[service]`](macro@crate::service) attribute writes the associated types for you;
/// without it, an implementation looks like this:
///
/// ```
/// use motore::Service;
///
/// struct Greet;
///
/// impl Service<(), String> for Greet {
///     type Response = String;
///     type Error = std::convert::Infallible;
///
///     async fn call(&self, _cx: &mut (), name: String) -> Result<String, Self::Error> {
///         Ok(format!("hello, {name}"))
///     }
/// }
/// ```
pub trait Service<Cx, Request> {
    /// Responses given by the service.
    type Response;
    /// Errors produced by the service.
    type Error;

    /// Processes the request and returns the response asynchronously.
    fn call(
        &self,
        cx: &mut Cx,
        req: Request,
    ) -> impl Future<Output = Result<Self::Response, Self::Error>> + Send;
}

impl<Cx, Req, S> Service<Cx, Req> for &S
where
    S: Service<Cx, Req> + ?Sized,
{
    type Response = S::Response;
    type Error = S::Error;

    fn call(
        &self,
        cx: &mut Cx,
        req: Req,
    ) -> impl Future<Output = Result<Self::Response, Self::Error>> + Send {
        (**self).call(cx, req)
    }
}

impl<Cx, Req, S> Service<Cx, Req> for Box<S>
where
    S: Service<Cx, Req> + ?Sized,
{
    type Response = S::Response;
    type Error = S::Error;

    fn call(
        &self,
        cx: &mut Cx,
        req: Req,
    ) -> impl Future<Output = Result<Self::Response, Self::Error>> + Send {
        (**self).call(cx, req)
    }
}

impl<Cx, Req, S> Service<Cx, Req> for Arc<S>
where
    S: Service<Cx, Req> + ?Sized,
{
    type Response = S::Response;
    type Error = S::Error;

    fn call(
        &self,
        cx: &mut Cx,
        req: Req,
    ) -> impl Future<Output = Result<Self::Response, Self::Error>> + Send {
        (**self).call(cx, req)
    }
}
