//! [`ServiceBuilder`]: compose layers into a stack, then wrap a service with it.

use std::time::Duration;

use crate::{
    catch_panic::CatchPanicLayer,
    concurrency_limit::ConcurrencyLimitLayer,
    layer::{Identity, Layer, LayerFn, Stack, layer_fn, option_layer},
    service::{ServiceFn, service_fn},
    timeout::TimeoutLayer,
    util::{AndThenLayer, Either, MapErrLayer, MapRequestLayer, MapResponseLayer},
};

/// Builds a stack of layers around a service, **the first layer added outermost**.
///
/// A stack is an onion: a request passes through the layers in the order they were
/// added, reaches the service, and the response travels back out in reverse order.
///
/// ```text
/// ServiceBuilder::new()
///     .layer(a)        // outermost: sees the request first, the response last
///     .layer(b)
///     .service(svc)    // innermost
///
///  ┌─ a ────────────────────────┐
///  │  ┌─ b ──────────────────┐  │
///  │  │                      │  │
///  │  │  request ──▶ svc     │  │
///  │  │  response ◀──┘       │  │
///  │  └──────────────────────┘  │
///  └────────────────────────────┘
/// ```
///
/// Order matters: with `.timeout(..)` before `.concurrency_limit(..)`, time spent
/// waiting for a permit counts against the timeout; the other way round, it does not.
/// Put `.catch_panic()` outside the layers whose panics it should catch.
///
/// This example proves the order: each layer records its name in the context on the way
/// in and on the way out.
///
/// ```
/// use motore::{Service, ServiceBuilder, service};
///
/// struct Trace<S> {
///     name: &'static str,
///     inner: S,
/// }
///
/// #[service]
/// impl<S> Service<Vec<String>, ()> for Trace<S>
/// where
///     S: Service<Vec<String>, (), Response = (), Error = ()> + Sync,
/// {
///     async fn call(&self, cx: &mut Vec<String>, req: ()) -> Result<(), ()> {
///         cx.push(format!("{} in", self.name));
///         let res = self.inner.call(cx, req).await;
///         cx.push(format!("{} out", self.name));
///         res
///     }
/// }
///
/// async fn handler(cx: &mut Vec<String>, _req: ()) -> Result<(), ()> {
///     cx.push("service".to_owned());
///     Ok(())
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let svc = ServiceBuilder::new()
///     .layer_fn(|inner| Trace { name: "first", inner })
///     .layer_fn(|inner| Trace { name: "second", inner })
///     .service_fn(handler);
///
/// let mut cx = Vec::new();
/// svc.call(&mut cx, ()).await.unwrap();
/// assert_eq!(cx, ["first in", "second in", "service", "second out", "first out"]);
/// # }
/// ```
///
/// A builder is itself a [`Layer`], so stacks can be built in parts and combined.
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `service` or `layer` is called"]
pub struct ServiceBuilder<L> {
    layer: L,
}

impl ServiceBuilder<Identity> {
    /// An empty builder.
    pub const fn new() -> Self {
        Self {
            layer: Identity::new(),
        }
    }
}

impl<L> ServiceBuilder<L> {
    /// Adds `layer` inside the layers added so far.
    pub fn layer<T>(self, layer: T) -> ServiceBuilder<Stack<T, L>> {
        ServiceBuilder {
            layer: Stack::new(layer, self.layer),
        }
    }

    /// Adds `layer` if it is `Some`; see [`option_layer`].
    pub fn option_layer<T>(
        self,
        layer: Option<T>,
    ) -> ServiceBuilder<Stack<Either<T, Identity>, L>> {
        self.layer(option_layer(layer))
    }

    /// Adds a layer that wraps the service by calling `f`; see [`layer_fn`].
    pub fn layer_fn<F>(self, f: F) -> ServiceBuilder<Stack<LayerFn<F>, L>> {
        self.layer(layer_fn(f))
    }

    /// Adds a [`Timeout`](crate::timeout::Timeout); `None` means no timeout.
    pub fn timeout(self, duration: Option<Duration>) -> ServiceBuilder<Stack<TimeoutLayer, L>> {
        self.layer(TimeoutLayer::new(duration))
    }

    /// Adds a [`ConcurrencyLimit`](crate::concurrency_limit::ConcurrencyLimit) of `max`
    /// calls in flight.
    ///
    /// # Panics
    ///
    /// If `max` is zero.
    pub fn concurrency_limit(self, max: usize) -> ServiceBuilder<Stack<ConcurrencyLimitLayer, L>> {
        self.layer(ConcurrencyLimitLayer::new(max))
    }

    /// Adds a [`CatchPanic`](crate::catch_panic::CatchPanic), turning panics of the layers
    /// inside it and of the service into errors.
    pub fn catch_panic(self) -> ServiceBuilder<Stack<CatchPanicLayer, L>> {
        self.layer(CatchPanicLayer::new())
    }

    /// Adds a [`MapRequest`](crate::util::MapRequest) converting requests with `f`.
    pub fn map_request<F>(self, f: F) -> ServiceBuilder<Stack<MapRequestLayer<F>, L>> {
        self.layer(MapRequestLayer::new(f))
    }

    /// Adds a [`MapResponse`](crate::util::MapResponse) converting responses with `f`.
    pub fn map_response<F>(self, f: F) -> ServiceBuilder<Stack<MapResponseLayer<F>, L>> {
        self.layer(MapResponseLayer::new(f))
    }

    /// Adds a [`MapErr`](crate::util::MapErr) converting errors with `f`.
    pub fn map_err<F>(self, f: F) -> ServiceBuilder<Stack<MapErrLayer<F>, L>> {
        self.layer(MapErrLayer::new(f))
    }

    /// Adds an [`AndThen`](crate::util::AndThen) running the async function `f` on
    /// responses.
    pub fn and_then<F>(self, f: F) -> ServiceBuilder<Stack<AndThenLayer<F>, L>> {
        self.layer(AndThenLayer::new(f))
    }

    /// The stack of layers built so far, as one layer.
    pub fn into_inner(self) -> L {
        self.layer
    }

    /// Wraps `service` in the stack.
    pub fn service<S>(self, service: S) -> L::Service
    where
        L: Layer<S>,
    {
        self.layer.layer(service)
    }

    /// Wraps [`service_fn(f)`](service_fn) in the stack.
    pub fn service_fn<F>(self, f: F) -> L::Service
    where
        L: Layer<ServiceFn<F>>,
    {
        self.service(service_fn(f))
    }
}

impl<S, L> Layer<S> for ServiceBuilder<L>
where
    L: Layer<S>,
{
    type Service = L::Service;

    fn layer(self, inner: S) -> Self::Service {
        self.layer.layer(inner)
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::{BoxError, Service};

    async fn record(cx: &mut Vec<&'static str>, req: u32) -> Result<u32, io::Error> {
        cx.push("service");
        match req {
            0 => panic!("zero"),
            1 => Err(io::Error::other("one")),
            n if n > 1000 => {
                tokio::time::sleep(Duration::from_millis(n.into())).await;
                Ok(n)
            }
            n => Ok(n),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn convenience_layers_compose_in_order() {
        let svc = ServiceBuilder::new()
            .map_err(|err: BoxError| err.to_string())
            .catch_panic()
            .timeout(Some(Duration::from_secs(2)))
            .concurrency_limit(4)
            .map_request(|s: &str| s.parse::<u32>().unwrap_or(0))
            .map_response(|n: u32| n * 10)
            .and_then(|n: u32| async move { Ok(n + 5) })
            .service_fn(record);
        let mut cx = Vec::new();
        // The response passes `and_then` (inner) before `map_response` (outer).
        assert_eq!(svc.call(&mut cx, "2").await, Ok(70));
        assert_eq!(svc.call(&mut cx, "1").await, Err("one".to_owned()));
        let panicked = svc.call(&mut cx, "x").await.unwrap_err();
        assert!(panicked.starts_with("service panicked at "), "{panicked}");
        assert!(panicked.ends_with(": zero"), "{panicked}");
        let elapsed = svc.call(&mut cx, "5000").await.unwrap_err();
        assert_eq!(elapsed, "call timed out after 2s");
        assert_eq!(cx.len(), 4);
    }

    fn wrap(name: &'static str) -> impl FnOnce(String) -> String + Clone {
        move |s| format!("{name}({s})")
    }

    #[test]
    fn first_layer_added_is_outermost() {
        let built = ServiceBuilder::new()
            .layer_fn(wrap("a"))
            .layer(layer_fn(wrap("b")))
            .layer_fn(wrap("c"))
            .service("s".to_owned());
        assert_eq!(built, "a(b(c(s)))");
    }

    #[test]
    fn builders_are_layers_and_nest() {
        let inner = ServiceBuilder::new()
            .layer_fn(wrap("b"))
            .layer_fn(wrap("c"));
        let outer = ServiceBuilder::new()
            .layer_fn(wrap("a"))
            .layer(inner.clone())
            .layer_fn(wrap("d"));
        assert_eq!(outer.service("s".to_owned()), "a(b(c(d(s))))");
        assert_eq!(inner.into_inner().layer("s".to_owned()), "b(c(s))");
    }

    #[test]
    fn option_layer_is_applied_only_when_present() {
        let with = ServiceBuilder::new()
            .option_layer(Some(layer_fn(wrap("opt"))))
            .service("s".to_owned());
        let without = ServiceBuilder::new()
            .option_layer(None::<LayerFn<fn(String) -> String>>)
            .service("s".to_owned());
        assert_eq!(with, Either::Left("opt(s)".to_owned()));
        assert_eq!(without, Either::Right("s".to_owned()));
    }
}
