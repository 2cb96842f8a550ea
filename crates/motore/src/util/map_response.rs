//! [`MapResponse`]: convert the inner service's successful responses.

use std::future::Future;

use crate::{Layer, Service};

/// Calls the inner service, then converts its successful response with a function.
///
/// Built by [`ServiceExt::map_response`](crate::ServiceExt::map_response) or
/// [`MapResponseLayer`]. Errors pass through unchanged.
#[derive(Clone)]
pub struct MapResponse<S, F> {
    inner: S,
    f: F,
}

super::debug_with_fn!(MapResponse<S, F>);

impl<S, F> MapResponse<S, F> {
    /// Wraps `inner`, converting its responses with `f`.
    pub fn new(inner: S, f: F) -> Self {
        Self { inner, f }
    }
}

impl<S, F, Cx, Req, R> Service<Cx, Req> for MapResponse<S, F>
where
    S: Service<Cx, Req>,
    F: Fn(S::Response) -> R + Sync,
{
    type Response = R;
    type Error = S::Error;

    fn call(&self, cx: &mut Cx, req: Req) -> impl Future<Output = Result<R, S::Error>> + Send {
        let fut = self.inner.call(cx, req);
        let f = &self.f;
        async move { fut.await.map(f) }
    }
}

/// A [`Layer`] producing [`MapResponse`].
#[derive(Clone, Copy)]
pub struct MapResponseLayer<F> {
    f: F,
}

impl<F> MapResponseLayer<F> {
    /// A layer converting responses with `f`.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

super::debug_with_fn!(MapResponseLayer<F>);

impl<S, F> Layer<S> for MapResponseLayer<F> {
    type Service = MapResponse<S, F>;

    fn layer(self, inner: S) -> MapResponse<S, F> {
        MapResponse::new(inner, self.f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServiceExt, service_fn};

    async fn check(_cx: &mut (), req: i32) -> Result<i32, String> {
        if req < 0 {
            Err(format!("negative: {req}"))
        } else {
            Ok(req)
        }
    }

    #[tokio::test]
    async fn converts_responses_and_passes_errors() {
        let svc = service_fn(check).map_response(|n| n.to_string());
        assert_eq!(svc.call(&mut (), 7).await, Ok("7".to_owned()));
        assert_eq!(svc.call(&mut (), -1).await, Err("negative: -1".to_owned()));
    }

    #[tokio::test]
    async fn layer_builds_the_same_adapter() {
        let svc = MapResponseLayer::new(|n: i32| n + 1).layer(service_fn(check));
        assert_eq!(svc.call(&mut (), 1).await, Ok(2));
    }
}
