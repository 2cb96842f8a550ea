//! Type-erased services: [`BoxService`] and [`BoxCloneService`].
//!
//! A boxed service is a trait object behind the private, object-safe [`DynService`],
//! whose call returns the inner service's future boxed. Implementing [`Service`] for the
//! box takes one more step: the boxed future borrows both the service and the context, so
//! its type names the *intersection* of the two borrows, which the `impl Future` of
//! `Service::call` is not allowed to expose. The box's `call` is therefore an `async fn`
//! that makes the boxed call on its first poll. Its future holds `&self`, `cx` and the
//! request, so it is `Send` only if the box is `Sync` and `Cx` and the request are
//! `Send`; hence the `Sync` requirement on the wrapped service.

use std::{fmt, future::Future, pin::Pin};

use super::Service;

/// The future of a boxed call: `Send`, borrowing the service and the context for `'a`.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The object-safe face of [`Service`]: the same call with the future boxed.
trait DynService<Cx, T, U, E> {
    fn call_dyn<'a>(&'a self, cx: &'a mut Cx, req: T) -> BoxFuture<'a, Result<U, E>>;
}

impl<S, Cx, T> DynService<Cx, T, S::Response, S::Error> for S
where
    S: Service<Cx, T>,
    T: 'static,
{
    fn call_dyn<'a>(
        &'a self,
        cx: &'a mut Cx,
        req: T,
    ) -> BoxFuture<'a, Result<S::Response, S::Error>> {
        Box::pin(self.call(cx, req))
    }
}

/// A [`DynService`] that can clone itself into a new box.
trait CloneService<Cx, T, U, E>: DynService<Cx, T, U, E> {
    fn clone_box(&self) -> Box<dyn CloneService<Cx, T, U, E> + Send + Sync>;
}

impl<S, Cx, T, U, E> CloneService<Cx, T, U, E> for S
where
    S: DynService<Cx, T, U, E> + Clone + Send + Sync + 'static,
{
    fn clone_box(&self) -> Box<dyn CloneService<Cx, T, U, E> + Send + Sync> {
        Box::new(self.clone())
    }
}

/// A service of any type answering requests `T` with `Result<U, E>`; `Send + Sync`.
///
/// Use it to name a stack whose type is unwieldy or chosen at run time. Each call
/// allocates one box for the future; nothing else changes. The box is itself a
/// [`Service`] with a `Send` future, so it can go back into a stack.
///
/// # Requirements, and why every box is `Sync`
///
/// The wrapped service must be `Send + Sync + 'static` and the request type `'static`;
/// calling the box needs `Cx: Send` and `T: Send`. The boxed future borrows both the
/// service and the context; safe Rust can only return it from `call` by making the boxed
/// call inside the box's own future, which therefore holds `&self` and is `Send` only if
/// the box is `Sync`. So there is no separate "sync" flavour: both
/// [`BoxService`] and [`BoxCloneService`] are `Sync`, and one instance can be shared by
/// reference (for example behind an `Arc`) between tasks and threads. In practice this
/// costs little: a service whose future borrows `&self` across an `.await` already needs
/// to be `Sync` for that future to be `Send`.
///
/// ```
/// use motore::{Service, ServiceExt, service::BoxService, service_fn};
///
/// async fn echo(_cx: &mut (), req: String) -> Result<String, std::io::Error> {
///     Ok(req)
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc: BoxService<(), String, String, std::io::Error> = service_fn(echo).boxed();
/// assert_eq!(svc.call(&mut (), "hi".to_owned()).await.unwrap(), "hi");
/// # }
/// ```
pub struct BoxService<Cx, T, U, E> {
    inner: Box<dyn DynService<Cx, T, U, E> + Send + Sync>,
}

impl<Cx, T, U, E> BoxService<Cx, T, U, E> {
    /// Erases the type of `service`.
    pub fn new<S>(service: S) -> Self
    where
        S: Service<Cx, T, Response = U, Error = E> + Send + Sync + 'static,
        T: 'static,
    {
        Self {
            inner: Box::new(service),
        }
    }
}

impl<Cx, T, U, E> Service<Cx, T> for BoxService<Cx, T, U, E>
where
    Cx: Send,
    T: Send,
{
    type Response = U;
    type Error = E;

    async fn call(&self, cx: &mut Cx, req: T) -> Result<U, E> {
        self.inner.call_dyn(cx, req).await
    }
}

impl<Cx, T, U, E> fmt::Debug for BoxService<Cx, T, U, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoxService").finish_non_exhaustive()
    }
}

/// A [`BoxService`] that can also be cloned; `Send + Sync + Clone`.
///
/// Cloning clones the wrapped service into a new box, so clones can move into other
/// tasks. The wrapped service must be `Clone + Send + Sync + 'static`; see
/// [`BoxService`] for why boxes are `Sync`.
pub struct BoxCloneService<Cx, T, U, E> {
    inner: Box<dyn CloneService<Cx, T, U, E> + Send + Sync>,
}

impl<Cx, T, U, E> BoxCloneService<Cx, T, U, E> {
    /// Erases the type of `service`.
    pub fn new<S>(service: S) -> Self
    where
        S: Service<Cx, T, Response = U, Error = E> + Clone + Send + Sync + 'static,
        T: 'static,
    {
        Self {
            inner: Box::new(service),
        }
    }
}

impl<Cx, T, U, E> Service<Cx, T> for BoxCloneService<Cx, T, U, E>
where
    Cx: Send,
    T: Send,
{
    type Response = U;
    type Error = E;

    async fn call(&self, cx: &mut Cx, req: T) -> Result<U, E> {
        self.inner.call_dyn(cx, req).await
    }
}

impl<Cx, T, U, E> Clone for BoxCloneService<Cx, T, U, E> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone_box(),
        }
    }
}

impl<Cx, T, U, E> fmt::Debug for BoxCloneService<Cx, T, U, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoxCloneService").finish_non_exhaustive()
    }
}
