//! [`MapRequest`]: convert requests before the inner service sees them.

use std::future::Future;

use crate::{Layer, Service};

/// Converts each request with a function, then calls the inner service.
///
/// Built by [`ServiceExt::map_request`](crate::ServiceExt::map_request) or
/// [`MapRequestLayer`]. The function runs synchronously inside `call`.
#[derive(Clone)]
pub struct MapRequest<S, F> {
    inner: S,
    f: F,
}

super::debug_with_fn!(MapRequest<S, F>);

impl<S, F> MapRequest<S, F> {
    /// Wraps `inner`, converting requests with `f`.
    pub fn new(inner: S, f: F) -> Self {
        Self { inner, f }
    }
}

impl<S, F, Cx, R, Req> Service<Cx, R> for MapRequest<S, F>
where
    S: Service<Cx, Req>,
    F: Fn(R) -> Req,
{
    type Response = S::Response;
    type Error = S::Error;

    fn call(
        &self,
        cx: &mut Cx,
        req: R,
    ) -> impl Future<Output = Result<S::Response, S::Error>> + Send {
        self.inner.call(cx, (self.f)(req))
    }
}

/// A [`Layer`] producing [`MapRequest`].
#[derive(Clone, Copy)]
pub struct MapRequestLayer<F> {
    f: F,
}

impl<F> MapRequestLayer<F> {
    /// A layer converting requests with `f`.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

super::debug_with_fn!(MapRequestLayer<F>);

impl<S, F> Layer<S> for MapRequestLayer<F> {
    type Service = MapRequest<S, F>;

    fn layer(self, inner: S) -> MapRequest<S, F> {
        MapRequest::new(inner, self.f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServiceExt, service_fn};

    async fn len(cx: &mut Vec<String>, req: String) -> Result<usize, ()> {
        let n = req.len();
        cx.push(req);
        Ok(n)
    }

    #[tokio::test]
    async fn converts_before_the_inner_service() {
        let svc = service_fn(len).map_request(|n: u32| "x".repeat(n as usize));
        let mut cx = Vec::new();
        assert_eq!(svc.call(&mut cx, 3).await, Ok(3));
        assert_eq!(cx, ["xxx"]);
    }

    #[test]
    fn debug_shows_the_function_type() {
        fn id(n: u32) -> u32 {
            n
        }
        let layer = format!("{:?}", MapRequestLayer::new(id));
        assert!(layer.starts_with("MapRequestLayer { f: "), "{layer}");
        assert!(layer.contains("id"), "{layer}");
        let svc = format!("{:?}", MapRequest::new(7_u8, id));
        assert!(svc.starts_with("MapRequest { inner: 7, f: "), "{svc}");
    }

    #[tokio::test]
    async fn layer_builds_the_same_adapter() {
        let svc = MapRequestLayer::new(|s: &str| s.to_uppercase()).layer(service_fn(len));
        let mut cx = Vec::new();
        assert_eq!(svc.call(&mut cx, "ab").await, Ok(2));
        assert_eq!(cx, ["AB"]);
    }
}
