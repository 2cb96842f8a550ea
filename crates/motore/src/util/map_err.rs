//! [`MapErr`]: convert the inner service's errors.

use std::future::Future;

use crate::{Layer, Service};

/// Calls the inner service, then converts its error with a function.
///
/// Built by [`ServiceExt::map_err`](crate::ServiceExt::map_err) or [`MapErrLayer`].
/// Successful responses pass through unchanged.
#[derive(Clone)]
pub struct MapErr<S, F> {
    inner: S,
    f: F,
}

super::debug_with_fn!(MapErr<S, F>);

impl<S, F> MapErr<S, F> {
    /// Wraps `inner`, converting its errors with `f`.
    pub fn new(inner: S, f: F) -> Self {
        Self { inner, f }
    }
}

impl<S, F, Cx, Req, E> Service<Cx, Req> for MapErr<S, F>
where
    S: Service<Cx, Req>,
    F: Fn(S::Error) -> E + Sync,
{
    type Response = S::Response;
    type Error = E;

    fn call(&self, cx: &mut Cx, req: Req) -> impl Future<Output = Result<S::Response, E>> + Send {
        let fut = self.inner.call(cx, req);
        let f = &self.f;
        async move { fut.await.map_err(f) }
    }
}

/// A [`Layer`] producing [`MapErr`].
#[derive(Clone, Copy)]
pub struct MapErrLayer<F> {
    f: F,
}

impl<F> MapErrLayer<F> {
    /// A layer converting errors with `f`.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

super::debug_with_fn!(MapErrLayer<F>);

impl<S, F> Layer<S> for MapErrLayer<F> {
    type Service = MapErr<S, F>;

    fn layer(self, inner: S) -> MapErr<S, F> {
        MapErr::new(inner, self.f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServiceExt, service_fn};

    async fn parse(_cx: &mut (), req: &'static str) -> Result<u8, std::num::ParseIntError> {
        req.parse()
    }

    #[tokio::test]
    async fn converts_errors_and_passes_responses() {
        let svc = service_fn(parse).map_err(|err| err.to_string());
        assert_eq!(svc.call(&mut (), "12").await, Ok(12));
        assert_eq!(
            svc.call(&mut (), "300").await,
            Err("number too large to fit in target type".to_owned())
        );
    }

    #[tokio::test]
    async fn layer_builds_the_same_adapter() {
        let svc = MapErrLayer::new(|_| "bad").layer(service_fn(parse));
        assert_eq!(svc.call(&mut (), "x").await, Err("bad"));
    }
}
