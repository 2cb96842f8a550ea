//! [`service_fn`]: a service from an async function of `(&mut Cx, Req)`.

use std::{fmt, future::Future};

use super::Service;

/// Returns a [`Service`] that calls `f` with the context and the request.
///
/// `f` can be:
///
/// - a named `async fn(cx: &mut Cx, req: Req) -> Result<R, E>`, whose future may borrow
///   `cx` freely;
/// - an async closure (`async |cx: &mut Cx, req: Req| { .. }`) that captures its
///   environment by reference or not at all; its future may also borrow `cx`;
/// - any closure `|cx, req| -> impl Future<Output = Result<R, E>> + Send` whose future does
///   not borrow `cx` (read what you need from `cx` before building the future).
///
/// The returned future must be `Send`.
///
/// ```
/// use motore::{Service, service_fn};
///
/// async fn handle(cx: &mut Vec<String>, req: u32) -> Result<u32, std::convert::Infallible> {
///     cx.push(format!("handled {req}"));
///     Ok(req * 2)
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut cx = Vec::new();
/// assert_eq!(service_fn(handle).call(&mut cx, 21).await, Ok(42));
///
/// let closure = service_fn(async |cx: &mut Vec<String>, req: u32| {
///     cx.push("closure".to_owned());
///     Ok::<_, std::convert::Infallible>(req + 1)
/// });
/// assert_eq!(closure.call(&mut cx, 1).await, Ok(2));
/// assert_eq!(cx, ["handled 21", "closure"]);
/// # }
/// ```
///
/// # Why not every closure
///
/// A plain closure returning `async move { cx.push(..) }` cannot name a return type that
/// depends on the lifetime of its `&mut Cx` argument, so the compiler rejects it with
/// "lifetime may not live long enough". Named `async fn`s and async closures do not have
/// that limitation. An async closure that *moves* state in and uses it by reference in its
/// body only implements `AsyncFn`, not `Fn`, and its future cannot be proven `Send` on
/// stable Rust, so it is not accepted either: write a type with
/// [`#[service]`](macro@crate::service) for a stateful service, or clone the state in a
/// plain closure before building the future.
pub fn service_fn<F>(f: F) -> ServiceFn<F> {
    ServiceFn { f }
}

/// A [`Service`] made from a function; see [`service_fn`].
#[derive(Clone, Copy)]
pub struct ServiceFn<F> {
    f: F,
}

impl<F> fmt::Debug for ServiceFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceFn")
            .field("f", &std::any::type_name::<F>())
            .finish()
    }
}

/// A function that can serve one call whose context is borrowed for `'cx`.
///
/// [`ServiceFn`] requires `for<'cx> CallFn<'cx, Cx, Req>`: one function that works for
/// every borrow of the context, which is what lets the returned future borrow `cx`. It is
/// implemented for every `F: Fn(&'cx mut Cx, Req) -> Fut` where `Fut` is a `Send` future
/// of a `Result`; you never implement it yourself.
///
/// The last parameter is never written: its default, `&'cx mut Cx`, makes `Cx: 'cx` an
/// implied bound, so that `for<'cx>` does not force the context type to be `'static`
/// and contexts that borrow (`Cx = Context<'a>`) work too.
pub trait CallFn<'cx, Cx, Req, WellFormed = &'cx mut Cx> {
    /// The successful result.
    type Response;
    /// The error result.
    type Error;
    /// The future returned by the function.
    type Future: Future<Output = Result<Self::Response, Self::Error>> + Send;

    /// Calls the function.
    fn call_fn(&self, cx: &'cx mut Cx, req: Req) -> Self::Future;
}

impl<'cx, F, Fut, Cx, Req, R, E> CallFn<'cx, Cx, Req> for F
where
    F: Fn(&'cx mut Cx, Req) -> Fut,
    Fut: Future<Output = Result<R, E>> + Send,
{
    type Response = R;
    type Error = E;
    type Future = Fut;

    fn call_fn(&self, cx: &'cx mut Cx, req: Req) -> Fut {
        self(cx, req)
    }
}

impl<F, Cx, Req, R, E> Service<Cx, Req> for ServiceFn<F>
where
    F: for<'cx> CallFn<'cx, Cx, Req, Response = R, Error = E>,
{
    type Response = R;
    type Error = E;

    fn call(&self, cx: &mut Cx, req: Req) -> impl Future<Output = Result<R, E>> + Send {
        self.f.call_fn(cx, req)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use super::*;

    async fn double(cx: &mut Vec<u32>, req: u32) -> Result<u32, String> {
        cx.push(req);
        tokio::task::yield_now().await;
        cx.push(req * 2);
        if req == 0 {
            return Err("zero".to_owned());
        }
        Ok(req * 2)
    }

    #[tokio::test]
    async fn named_async_fn_borrows_the_context_across_awaits() {
        let svc = service_fn(double);
        let mut cx = Vec::new();
        assert_eq!(svc.call(&mut cx, 4).await, Ok(8));
        assert_eq!(svc.call(&mut cx, 0).await, Err("zero".to_owned()));
        assert_eq!(cx, [4, 8, 0, 0]);
    }

    #[tokio::test]
    async fn async_closure_borrows_the_context() {
        let prefix = String::from("seen ");
        let svc = service_fn(async |cx: &mut Vec<String>, req: &'static str| {
            tokio::task::yield_now().await;
            cx.push(format!("{prefix}{req}"));
            Ok::<usize, ()>(cx.len())
        });
        let mut cx = Vec::new();
        assert_eq!(svc.call(&mut cx, "a").await, Ok(1));
        assert_eq!(svc.call(&mut cx, "b").await, Ok(2));
        assert_eq!(cx, ["seen a", "seen b"]);
    }

    #[tokio::test]
    async fn plain_closure_with_owned_state() {
        let calls = Arc::new(AtomicUsize::new(0));
        let svc = service_fn({
            let calls = calls.clone();
            move |cx: &mut u32, req: u32| {
                *cx += req;
                let calls = calls.clone();
                async move { Ok::<_, ()>(calls.fetch_add(1, Ordering::SeqCst) + 1) }
            }
        });
        let mut cx = 0;
        assert_eq!(svc.call(&mut cx, 5).await, Ok(1));
        assert_eq!(svc.call(&mut cx, 6).await, Ok(2));
        assert_eq!(cx, 11);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    struct Borrowed<'a> {
        log: &'a mut Vec<u32>,
    }

    async fn log_to_borrowed(cx: &mut Borrowed<'_>, req: u32) -> Result<(), ()> {
        tokio::task::yield_now().await;
        cx.log.push(req);
        Ok(())
    }

    #[tokio::test]
    async fn context_may_borrow() {
        let mut log = Vec::new();
        let svc = service_fn(log_to_borrowed);
        let mut cx = Borrowed { log: &mut log };
        svc.call(&mut cx, 1).await.unwrap();
        svc.call(&mut cx, 2).await.unwrap();
        assert_eq!(log, [1, 2]);
    }

    #[test]
    fn debug_names_the_function() {
        let text = format!("{:?}", service_fn(double));
        assert!(text.starts_with("ServiceFn"), "{text}");
        assert!(text.contains("double"), "{text}");
    }
}
