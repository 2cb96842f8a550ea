//! A generic middleware with a `where` clause, stacked and spawned on a multi-threaded
//! runtime (which proves the future is `Send`).

use std::fmt::Display;

use motore::{Service, ServiceBuilder, service};

struct Prefix<S> {
    prefix: &'static str,
    inner: S,
}

#[service]
impl<Cx, S> Service<Cx, String> for Prefix<S>
where
    Cx: Send,
    S: Service<Cx, String> + Sync,
    S::Response: Display,
{
    async fn call(&self, cx: &mut Cx, req: String) -> Result<String, S::Error> {
        let response = self.inner.call(cx, req).await?;
        Ok(format!("{}{response}", self.prefix))
    }
}

async fn echo(cx: &mut Vec<String>, req: String) -> Result<String, std::convert::Infallible> {
    cx.push(req.clone());
    Ok(req)
}

#[tokio::main]
async fn main() {
    let svc = ServiceBuilder::new()
        .layer_fn(|inner| Prefix { prefix: "a:", inner })
        .layer_fn(|inner| Prefix { prefix: "b:", inner })
        .service_fn(echo);
    let handle = tokio::spawn(async move {
        let mut cx = Vec::new();
        let out = svc.call(&mut cx, "x".to_owned()).await;
        (out, cx)
    });
    let (out, cx) = handle.await.unwrap();
    assert_eq!(out, Ok("a:b:x".to_owned()));
    assert_eq!(cx, ["x"]);
}
