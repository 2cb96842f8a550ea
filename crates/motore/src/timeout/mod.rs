//! [`Timeout`]: fail a call that takes too long.
//!
//! The timeout covers the whole of the inner service's future: from the moment the
//! wrapping future is first polled (right away when the call is awaited) until the inner
//! future completes. When the time is up, the inner future is **dropped**, which cancels
//! the call wherever it stands, and the call fails with [`Elapsed`]. Synchronous work the
//! inner service does inside `call`, before returning its future, happens before the
//! clock starts and cannot be interrupted.
//!
//! Errors are boxed ([`BoxError`]) so that timeouts compose with any inner error type;
//! tell an elapsed timeout apart with `err.is::<Elapsed>()` or
//! `err.downcast_ref::<Elapsed>()`. The timer is tokio's, so calls must run inside a tokio
//! runtime with the time driver enabled.

mod error;
mod layer;

use std::{future::Future, time::Duration};

pub use error::Elapsed;
pub use layer::TimeoutLayer;

use crate::{BoxError, Service};

/// Fails calls to the inner service that do not finish within a duration; `None` means no
/// timeout. See the [module docs](self) for what the timeout covers.
///
/// ```
/// use std::time::Duration;
///
/// use motore::{Service, service_fn, timeout::{Elapsed, Timeout}};
///
/// async fn slow(_cx: &mut (), _req: ()) -> Result<(), std::io::Error> {
///     tokio::time::sleep(Duration::from_secs(60)).await;
///     Ok(())
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = Timeout::new(service_fn(slow), Some(Duration::from_millis(10)));
/// let err = svc.call(&mut (), ()).await.unwrap_err();
/// assert!(err.is::<Elapsed>());
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Timeout<S> {
    inner: S,
    duration: Option<Duration>,
}

impl<S> Timeout<S> {
    /// Wraps `inner`, failing calls that take longer than `duration` (never, if `None`).
    pub const fn new(inner: S, duration: Option<Duration>) -> Self {
        Self { inner, duration }
    }

    /// The configured timeout.
    pub const fn duration(&self) -> Option<Duration> {
        self.duration
    }

    /// The wrapped service.
    pub const fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Unwraps the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, Cx, Req> Service<Cx, Req> for Timeout<S>
where
    S: Service<Cx, Req>,
    S::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = BoxError;

    fn call(
        &self,
        cx: &mut Cx,
        req: Req,
    ) -> impl Future<Output = Result<S::Response, BoxError>> + Send {
        let fut = self.inner.call(cx, req);
        let duration = self.duration;
        async move {
            let Some(duration) = duration else {
                return fut.await.map_err(Into::into);
            };
            match tokio::time::timeout(duration, fut).await {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(Elapsed::new(duration).into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{
        io,
        sync::{
            Arc,
            atomic::{AtomicBool, Ordering},
        },
    };

    use super::*;
    use crate::{Layer, service_fn};

    /// Sleeps for `req` milliseconds, then answers with it; `u64::MAX` fails.
    async fn sleepy(_cx: &mut (), req: u64) -> Result<u64, io::Error> {
        if req == u64::MAX {
            return Err(io::Error::other("inner failure"));
        }
        tokio::time::sleep(Duration::from_millis(req)).await;
        Ok(req)
    }

    fn with_timeout(ms: Option<u64>) -> impl Service<(), u64, Response = u64, Error = BoxError> {
        TimeoutLayer::new(ms.map(Duration::from_millis)).layer(service_fn(sleepy))
    }

    #[tokio::test(start_paused = true)]
    async fn fast_call_passes() {
        let svc = with_timeout(Some(100));
        assert_eq!(svc.call(&mut (), 99).await.unwrap(), 99);
    }

    #[tokio::test(start_paused = true)]
    async fn slow_call_times_out() {
        let svc = with_timeout(Some(100));
        let start = tokio::time::Instant::now();
        let err = svc.call(&mut (), 101).await.unwrap_err();
        let elapsed = err.downcast_ref::<Elapsed>().expect("an Elapsed error");
        assert_eq!(elapsed.timeout(), Duration::from_millis(100));
        assert_eq!(start.elapsed(), Duration::from_millis(100));
        assert_eq!(err.to_string(), "call timed out after 100ms");
    }

    #[tokio::test(start_paused = true)]
    async fn none_never_times_out() {
        let svc = with_timeout(None);
        let hour = 3_600_000;
        assert_eq!(svc.call(&mut (), hour).await.unwrap(), hour);
    }

    #[tokio::test(start_paused = true)]
    async fn huge_duration_does_not_overflow() {
        let svc = Timeout::new(service_fn(sleepy), Some(Duration::MAX));
        assert_eq!(svc.call(&mut (), 5).await.unwrap(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn inner_errors_are_boxed_unchanged() {
        let svc = with_timeout(Some(100));
        let err = svc.call(&mut (), u64::MAX).await.unwrap_err();
        assert!(!err.is::<Elapsed>());
        let io = err
            .downcast_ref::<io::Error>()
            .expect("the inner io::Error");
        assert_eq!(io.to_string(), "inner failure");
    }

    #[tokio::test(start_paused = true)]
    async fn timeout_drops_the_inner_future() {
        struct SetOnDrop(Arc<AtomicBool>);
        impl Drop for SetOnDrop {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicBool::new(false));
        let svc = Timeout::new(
            service_fn(|_cx: &mut (), _req: ()| {
                let guard = SetOnDrop(dropped.clone());
                let finished = finished.clone();
                async move {
                    let _guard = guard;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    finished.store(true, Ordering::SeqCst);
                    Ok::<_, io::Error>(())
                }
            }),
            Some(Duration::from_millis(10)),
        );
        assert!(svc.call(&mut (), ()).await.unwrap_err().is::<Elapsed>());
        assert!(
            dropped.load(Ordering::SeqCst),
            "inner future dropped on timeout"
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(!finished.load(Ordering::SeqCst), "inner call never resumed");
    }

    #[test]
    fn accessors() {
        let svc = Timeout::new(7_u8, Some(Duration::from_secs(1)));
        assert_eq!(svc.duration(), Some(Duration::from_secs(1)));
        assert_eq!(*svc.get_ref(), 7);
        assert_eq!(svc.into_inner(), 7);
    }
}
