//! [`ConcurrencyLimit`]: at most N calls in flight.
//!
//! A call first waits for one of N permits (a tokio [`Semaphore`], fair: first come,
//! first served), then calls the inner service and holds the permit until the inner
//! future completes or is dropped. Callers beyond the limit wait; nothing is rejected.
//! Dropping a waiting call gives up its place in the queue.

mod layer;

use std::sync::Arc;

pub use layer::ConcurrencyLimitLayer;
use tokio::sync::Semaphore;

use crate::Service;

/// Lets at most `max` calls into the inner service at once; the others wait their turn.
///
/// Clones share the limit: N clones together still admit at most `max` calls. Errors are
/// the inner service's own, since waiting never fails.
///
/// ```
/// use motore::{Service, concurrency_limit::ConcurrencyLimit, service_fn};
///
/// async fn work(_cx: &mut (), req: u32) -> Result<u32, ()> {
///     Ok(req)
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = ConcurrencyLimit::new(service_fn(work), 2);
/// let (mut cx1, mut cx2, mut cx3) = ((), (), ());
/// let (a, b, c) = tokio::join!(
///     svc.call(&mut cx1, 1),
///     svc.call(&mut cx2, 2),
///     svc.call(&mut cx3, 3), // waits until one of the first two is done
/// );
/// assert_eq!((a, b, c), (Ok(1), Ok(2), Ok(3)));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ConcurrencyLimit<S> {
    inner: S,
    semaphore: Arc<Semaphore>,
}

impl<S> ConcurrencyLimit<S> {
    /// Wraps `inner`, letting at most `max` calls in at once.
    ///
    /// A `max` above [`Semaphore::MAX_PERMITS`] (more calls than memory could hold) is
    /// lowered to it.
    ///
    /// # Panics
    ///
    /// If `max` is zero: no call could ever run.
    pub fn new(inner: S, max: usize) -> Self {
        assert!(max > 0, "a concurrency limit of 0 would never admit a call");
        Self {
            inner,
            semaphore: Arc::new(Semaphore::new(max.min(Semaphore::MAX_PERMITS))),
        }
    }

    /// The number of calls that could start right now without waiting.
    pub fn available(&self) -> usize {
        self.semaphore.available_permits()
    }

    /// The wrapped service.
    pub const fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, Cx, Req> Service<Cx, Req> for ConcurrencyLimit<S>
where
    S: Service<Cx, Req> + Sync,
    Cx: Send,
    Req: Send,
{
    type Response = S::Response;
    type Error = S::Error;

    async fn call(&self, cx: &mut Cx, req: Req) -> Result<S::Response, S::Error> {
        // The semaphore is private and never closed, so acquiring only fails if the
        // permit count overflowed, which `new` rules out.
        let _permit = self
            .semaphore
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.inner.call(cx, req).await
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::atomic::{AtomicUsize, Ordering},
        time::Duration,
    };

    use super::*;
    use crate::{Layer, service_fn};

    #[derive(Default)]
    struct Gauge {
        in_flight: AtomicUsize,
        high_water: AtomicUsize,
        done: AtomicUsize,
    }

    async fn measured(gauge: &Gauge) {
        let now = gauge.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        gauge.high_water.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(10)).await;
        gauge.in_flight.fetch_sub(1, Ordering::SeqCst);
        gauge.done.fetch_add(1, Ordering::SeqCst);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_more_than_the_limit_in_flight() {
        let gauge = Arc::new(Gauge::default());
        let svc = Arc::new(ConcurrencyLimitLayer::new(2).layer(service_fn({
            let gauge = gauge.clone();
            move |_cx: &mut (), req: usize| {
                let gauge = gauge.clone();
                async move {
                    measured(&gauge).await;
                    Ok::<_, ()>(req)
                }
            }
        })));
        let tasks: Vec<_> = (0..5)
            .map(|i| {
                let svc = svc.clone();
                tokio::spawn(async move { svc.call(&mut (), i).await })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.expect("task finished"), Ok(i));
        }
        assert_eq!(gauge.done.load(Ordering::SeqCst), 5);
        assert_eq!(gauge.high_water.load(Ordering::SeqCst), 2);
        assert_eq!(svc.available(), 2, "every permit is returned");
    }

    #[tokio::test(start_paused = true)]
    async fn extra_callers_wait_for_a_permit() {
        let gauge = Arc::new(Gauge::default());
        let svc = Arc::new(ConcurrencyLimit::new(
            service_fn({
                let gauge = gauge.clone();
                move |_cx: &mut (), _req: ()| {
                    let gauge = gauge.clone();
                    async move {
                        measured(&gauge).await;
                        Ok::<_, ()>(())
                    }
                }
            }),
            2,
        ));
        let start = tokio::time::Instant::now();
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..5 {
            let svc = svc.clone();
            calls.spawn(async move { svc.call(&mut (), ()).await });
        }
        while let Some(result) = calls.join_next().await {
            assert_eq!(result.expect("task finished"), Ok(()));
        }
        // Five 10 ms calls, two at a time, take three rounds.
        assert_eq!(start.elapsed(), Duration::from_millis(30));
        assert_eq!(gauge.high_water.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn permit_is_held_until_the_call_ends_or_is_dropped() {
        let svc = ConcurrencyLimit::new(
            service_fn(|_cx: &mut (), _req: ()| std::future::pending::<Result<(), ()>>()),
            1,
        );
        let mut cx = ();
        let mut call = Box::pin(svc.call(&mut cx, ()));
        let waited = tokio::time::timeout(Duration::from_millis(1), &mut call).await;
        assert!(waited.is_err(), "the inner call never finishes");
        assert_eq!(svc.available(), 0, "the running call holds the permit");
        drop(call);
        assert_eq!(svc.available(), 1, "dropping the call returns the permit");
    }

    #[test]
    #[should_panic(expected = "a concurrency limit of 0")]
    fn zero_is_refused() {
        let _ = ConcurrencyLimit::new((), 0);
    }

    #[test]
    fn huge_limits_are_lowered() {
        let svc = ConcurrencyLimit::new((), usize::MAX);
        assert_eq!(svc.available(), Semaphore::MAX_PERMITS);
    }
}
