//! Middleware order: the first layer (in a builder or a tuple) is the outermost one.

use motore::{
    Layer, Service, ServiceBuilder,
    layer::{LayerFn, Stack, layer_fn},
    service, service_fn,
};

type Log = Vec<String>;

/// Records its name in the context on the way in and on the way out.
struct Trace<S> {
    name: &'static str,
    inner: S,
}

#[service]
impl<S, Req> Service<Log, Req> for Trace<S>
where
    S: Service<Log, Req> + Sync,
    Req: Send,
{
    async fn call(&self, cx: &mut Log, req: Req) -> Result<S::Response, S::Error> {
        cx.push(format!("{} in", self.name));
        let result = self.inner.call(cx, req).await;
        cx.push(format!("{} out", self.name));
        result
    }
}

fn trace<S>(name: &'static str) -> LayerFn<impl FnOnce(S) -> Trace<S> + Clone> {
    layer_fn(move |inner| Trace { name, inner })
}

async fn handler(cx: &mut Log, req: u8) -> Result<u8, ()> {
    cx.push("service".to_owned());
    Ok(req)
}

async fn run(svc: impl Service<Log, u8, Response = u8, Error = ()>) -> Log {
    let mut cx = Log::new();
    assert_eq!(svc.call(&mut cx, 7).await, Ok(7));
    cx
}

const EXPECTED: [&str; 7] = ["a in", "b in", "c in", "service", "c out", "b out", "a out"];

#[tokio::test]
async fn builder_order() {
    let svc = ServiceBuilder::new()
        .layer(trace("a"))
        .layer(trace("b"))
        .layer(trace("c"))
        .service_fn(handler);
    assert_eq!(run(svc).await, EXPECTED);
}

#[tokio::test]
async fn tuple_order() {
    let svc = (trace("a"), trace("b"), trace("c")).layer(service_fn(handler));
    assert_eq!(run(svc).await, EXPECTED);
}

#[tokio::test]
async fn tuple_inside_a_builder() {
    let svc = ServiceBuilder::new()
        .layer((trace("a"), trace("b")))
        .layer(trace("c"))
        .service_fn(handler);
    assert_eq!(run(svc).await, EXPECTED);
}

#[tokio::test]
async fn stack_order() {
    let svc = Stack::new(Stack::new(trace("c"), trace("b")), trace("a")).layer(service_fn(handler));
    assert_eq!(run(svc).await, EXPECTED);
}
