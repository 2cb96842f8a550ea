//! [`CatchPanic`]: a panicking service becomes a failed call.
//!
//! A panic inside the inner service, whether in the synchronous part of `call` or while
//! its future is polled, is caught with `catch_unwind` and returned as a [`Panicked`]
//! error carrying the panic message and its location (`file:line:column`). The panicked
//! future is dropped and never polled again; the service itself stays usable for later
//! calls. Nothing checks that the inner service's state is consistent after a panic
//! (the code is run under `AssertUnwindSafe`), so a service that can be left half-updated
//! by a panic should guard its state itself, as a poisoned `Mutex` would.
//!
//! # The panic hook
//!
//! `catch_unwind` does not report where a panic happened; only the process-wide panic
//! hook sees that. To fill in [`Panicked::location`], this module installs **one hook per
//! process, the first time a [`CatchPanic`] or [`CatchPanicLayer`] is created** (or when
//! [`install_hook`] is called). That hook:
//!
//! - records the location in a thread-local slot, only while a `CatchPanic` is running the
//!   inner service on that thread, so other panics are left alone;
//! - then always calls the hook that was installed before it, so the usual report
//!   ("thread ... panicked at ...") or your own logging hook still runs for every panic.
//!
//! If you install your own hook with [`std::panic::set_hook`] *after* that, it replaces
//! ours and locations will be `None` (messages are still captured). Install your hook
//! first, then call [`install_hook`] (or create the layer) to chain in front of it.
//! With `panic = "abort"` nothing can be caught.

mod error;
mod hook;
mod layer;

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use pin_project_lite::pin_project;

pub use error::{PanicLocation, Panicked};
pub use layer::CatchPanicLayer;

use crate::{BoxError, Service};

/// Installs the panic hook that records panic locations for [`CatchPanic`], in front of
/// the current hook; later calls do nothing. See the [module docs](self).
pub fn install_hook() {
    hook::install();
}

/// Turns panics of the inner service into [`Panicked`] errors; see the
/// [module docs](self).
///
/// ```
/// use motore::{Service, catch_panic::{CatchPanic, Panicked}, service_fn};
///
/// async fn fragile(_cx: &mut (), req: Option<u32>) -> Result<u32, std::io::Error> {
///     Ok(req.expect("a number"))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = CatchPanic::new(service_fn(fragile));
/// let err = svc.call(&mut (), None).await.unwrap_err();
/// let panicked = err.downcast_ref::<Panicked>().unwrap();
/// assert_eq!(panicked.message(), "a number");
/// assert!(panicked.location().is_some());
/// assert_eq!(svc.call(&mut (), Some(1)).await.unwrap(), 1);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct CatchPanic<S> {
    inner: S,
}

impl<S> CatchPanic<S> {
    /// Wraps `inner`. Installs the panic hook if this is the first use in the process.
    pub fn new(inner: S) -> Self {
        hook::install();
        Self { inner }
    }

    /// The wrapped service.
    pub const fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, Cx, Req> Service<Cx, Req> for CatchPanic<S>
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
        match hook::catch(move || self.inner.call(cx, req)) {
            Ok(fut) => Caught::Running { fut },
            Err(panicked) => Caught::Failed {
                panicked: Some(panicked),
            },
        }
    }
}

pin_project! {
    /// The future of [`CatchPanic::call`]: a named type rather than an async
    /// block, so the inner future is moved into it once, not once per level
    /// of async nesting (a per-call cost for large futures).
    #[project = CaughtProj]
    enum Caught<F> {
        Running {
            #[pin]
            fut: F,
        },
        // The synchronous part of `call` panicked.
        Failed {
            panicked: Option<Panicked>,
        },
        Done,
    }
}

impl<F, T, E> Future for Caught<F>
where
    F: Future<Output = Result<T, E>>,
    E: Into<BoxError>,
{
    type Output = Result<T, BoxError>;

    fn poll(mut self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Self::Output> {
        let out = match self.as_mut().project() {
            CaughtProj::Running { fut } => match hook::catch(|| fut.poll(task)) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(result)) => result.map_err(Into::into),
                Err(panicked) => Err(panicked.into()),
            },
            CaughtProj::Failed { panicked } => match panicked.take() {
                Some(panicked) => Err(panicked.into()),
                None => unreachable!("a Failed future always holds its panic"),
            },
            CaughtProj::Done => panic!("CatchPanic future polled after completion"),
        };
        // The inner future, panicked or finished, is dropped now and never
        // polled again.
        self.set(Caught::Done);
        Poll::Ready(out)
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::{Layer, service_fn};

    /// Panics in the synchronous part for "sync", in the future for "async"; the message
    /// names the line of the `panic!`, to be compared with the recorded location.
    fn fragile(
        cx: &mut u32,
        req: &'static str,
    ) -> impl Future<Output = Result<u32, io::Error>> + Send {
        *cx += 1;
        if req == "sync" {
            panic!("sync boom at line {}", line!());
        }
        async move {
            tokio::task::yield_now().await;
            match req {
                "async" => panic!("async boom at line {}", line!()),
                "error" => Err(io::Error::other("plain error")),
                _ => Ok(*cx),
            }
        }
    }

    /// The `Panicked` inside `err`, checked to carry this file's location and a message
    /// naming the same line.
    fn panicked<'e>(err: &'e BoxError, kind: &str) -> &'e Panicked {
        let p = err.downcast_ref::<Panicked>().expect("a Panicked error");
        let location = p.location().expect("location recorded by the hook");
        assert_eq!(location.file(), file!());
        assert_eq!(
            p.message(),
            format!("{kind} boom at line {}", location.line())
        );
        assert_eq!(
            err.to_string(),
            format!("service panicked at {location}: {}", p.message())
        );
        p
    }

    #[tokio::test]
    async fn panic_in_the_synchronous_part() {
        let svc = CatchPanicLayer::new().layer(service_fn(fragile));
        let mut cx = 0;
        let err = svc.call(&mut cx, "sync").await.unwrap_err();
        panicked(&err, "sync");
        assert_eq!(svc.call(&mut cx, "fine").await.unwrap(), 2, "still usable");
    }

    #[tokio::test]
    async fn panic_while_polling_the_future() {
        let svc = CatchPanic::new(service_fn(fragile));
        let mut cx = 0;
        let err = svc.call(&mut cx, "async").await.unwrap_err();
        panicked(&err, "async");
        assert_eq!(svc.call(&mut cx, "fine").await.unwrap(), 2, "still usable");
    }

    #[tokio::test]
    async fn errors_and_responses_pass_through() {
        let svc = CatchPanic::new(service_fn(fragile));
        let mut cx = 0;
        assert_eq!(svc.call(&mut cx, "fine").await.unwrap(), 1);
        let err = svc.call(&mut cx, "error").await.unwrap_err();
        let io = err
            .downcast_ref::<io::Error>()
            .expect("the inner io::Error");
        assert_eq!(io.to_string(), "plain error");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_panics_keep_their_own_location() {
        let svc = std::sync::Arc::new(CatchPanic::new(service_fn(fragile)));
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let svc = svc.clone();
                tokio::spawn(async move {
                    let kind = if i % 2 == 0 { "sync" } else { "async" };
                    let err = svc.call(&mut 0, kind).await.unwrap_err();
                    panicked(&err, kind).clone()
                })
            })
            .collect();
        let mut lines = Vec::new();
        for task in tasks {
            lines.push(
                task.await
                    .expect("task finished")
                    .location()
                    .map(PanicLocation::line),
            );
        }
        lines.sort();
        lines.dedup();
        assert_eq!(lines.len(), 2, "two distinct panic sites: {lines:?}");
    }

    #[test]
    fn nested_catch_reports_the_inner_panic_once() {
        install_hook();
        let outer = hook::catch(|| hook::catch(|| panic!("inner")));
        let inner = outer.expect("the inner catch handled it").unwrap_err();
        assert_eq!(inner.message(), "inner");
        assert_eq!(inner.location().map(PanicLocation::file), Some(file!()));
    }
}
