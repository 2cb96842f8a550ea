//! [`ServiceExt`]: combinators available on every service.

use std::future::Future;

use super::{BoxCloneService, BoxService, Service};
use crate::util::{AndThen, MapErr, MapRequest, MapResponse};

/// Adapters for every [`Service`], implemented for all of them.
///
/// ```
/// use motore::{Service, ServiceExt, service_fn};
///
/// async fn parse(_cx: &mut (), req: String) -> Result<u32, std::num::ParseIntError> {
///     req.parse()
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = service_fn(parse)
///     .map_request(|req: &str| req.trim().to_owned())
///     .map_response(|n| n * 2)
///     .map_err(|err| format!("bad number: {err}"));
///
/// assert_eq!(svc.call(&mut (), " 21 ").await, Ok(42));
/// assert!(svc.call(&mut (), "x").await.unwrap_err().starts_with("bad number"));
/// # }
/// ```
pub trait ServiceExt<Cx, Req>: Service<Cx, Req> {
    /// Converts each request with `f` before it reaches this service.
    fn map_request<F, R>(self, f: F) -> MapRequest<Self, F>
    where
        Self: Sized,
        F: Fn(R) -> Req,
    {
        MapRequest::new(self, f)
    }

    /// Converts each successful response with `f`.
    fn map_response<F, R>(self, f: F) -> MapResponse<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Response) -> R,
    {
        MapResponse::new(self, f)
    }

    /// Converts each error with `f`.
    fn map_err<F, E>(self, f: F) -> MapErr<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Error) -> E,
    {
        MapErr::new(self, f)
    }

    /// Runs the async function `f` on each successful response; its result is the result
    /// of the call. Errors of this service skip `f`.
    fn and_then<F, Fut, R>(self, f: F) -> AndThen<Self, F>
    where
        Self: Sized,
        F: Fn(Self::Response) -> Fut,
        Fut: Future<Output = Result<R, Self::Error>>,
    {
        AndThen::new(self, f)
    }

    /// Erases the type of this service; see [`BoxService`].
    fn boxed(self) -> BoxService<Cx, Req, Self::Response, Self::Error>
    where
        Self: Sized + Send + Sync + 'static,
        Req: 'static,
    {
        BoxService::new(self)
    }

    /// Erases the type of this service, keeping `Clone`; see [`BoxCloneService`].
    fn boxed_clone(self) -> BoxCloneService<Cx, Req, Self::Response, Self::Error>
    where
        Self: Sized + Clone + Send + Sync + 'static,
        Req: 'static,
    {
        BoxCloneService::new(self)
    }
}

impl<S, Cx, Req> ServiceExt<Cx, Req> for S where S: Service<Cx, Req> + ?Sized {}
