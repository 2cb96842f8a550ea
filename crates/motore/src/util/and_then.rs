//! [`AndThen`]: run an async function on the inner service's response.

use std::future::Future;

use crate::{Layer, Service};

/// Calls the inner service, then runs an async function on its successful response.
///
/// Built by [`ServiceExt::and_then`](crate::ServiceExt::and_then) or [`AndThenLayer`].
/// The function's future resolves to `Result<R, E>` with the inner service's error type
/// `E`, so it can fail too; convert errors first with
/// [`map_err`](crate::ServiceExt::map_err) if the types differ. An error from the inner
/// service is returned without calling the function.
#[derive(Clone)]
pub struct AndThen<S, F> {
    inner: S,
    f: F,
}

super::debug_with_fn!(AndThen<S, F>);

impl<S, F> AndThen<S, F> {
    /// Wraps `inner`, running `f` on its responses.
    pub fn new(inner: S, f: F) -> Self {
        Self { inner, f }
    }
}

impl<S, F, Fut, Cx, Req, R> Service<Cx, Req> for AndThen<S, F>
where
    S: Service<Cx, Req>,
    F: Fn(S::Response) -> Fut + Sync,
    Fut: Future<Output = Result<R, S::Error>> + Send,
{
    type Response = R;
    type Error = S::Error;

    fn call(&self, cx: &mut Cx, req: Req) -> impl Future<Output = Result<R, S::Error>> + Send {
        let fut = self.inner.call(cx, req);
        let f = &self.f;
        async move {
            let response = fut.await?;
            f(response).await
        }
    }
}

/// A [`Layer`] producing [`AndThen`].
#[derive(Clone, Copy)]
pub struct AndThenLayer<F> {
    f: F,
}

impl<F> AndThenLayer<F> {
    /// A layer running `f` on responses.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

super::debug_with_fn!(AndThenLayer<F>);

impl<S, F> Layer<S> for AndThenLayer<F> {
    type Service = AndThen<S, F>;

    fn layer(self, inner: S) -> AndThen<S, F> {
        AndThen::new(inner, self.f)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::{ServiceExt, service_fn};

    async fn check(_cx: &mut (), req: i32) -> Result<i32, String> {
        if req < 0 {
            Err("negative".to_owned())
        } else {
            Ok(req)
        }
    }

    #[tokio::test]
    async fn runs_the_async_function_on_success_only() {
        let runs = AtomicUsize::new(0);
        let svc = service_fn(check).and_then(|n| {
            runs.fetch_add(1, Ordering::SeqCst);
            async move {
                tokio::task::yield_now().await;
                if n > 100 {
                    Err(format!("{n} is too big"))
                } else {
                    Ok(n * 10)
                }
            }
        });
        assert_eq!(svc.call(&mut (), 4).await, Ok(40));
        assert_eq!(
            svc.call(&mut (), 101).await,
            Err("101 is too big".to_owned())
        );
        assert_eq!(svc.call(&mut (), -1).await, Err("negative".to_owned()));
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "not run after an inner error"
        );
    }

    #[tokio::test]
    async fn layer_builds_the_same_adapter() {
        let svc =
            AndThenLayer::new(|n: i32| async move { Ok(n.to_string()) }).layer(service_fn(check));
        assert_eq!(svc.call(&mut (), 3).await, Ok("3".to_owned()));
    }
}
