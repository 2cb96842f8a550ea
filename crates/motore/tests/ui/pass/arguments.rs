//! Argument patterns behave as in an `async fn`: `mut`, destructuring, `_`, and a
//! partially declared set of associated types.

use motore::{Service, service};

struct Sum;

#[service]
impl Service<(), (u32, u32)> for Sum {
    async fn call(&self, _: &mut (), (a, b): (u32, u32)) -> Result<u32, ()> {
        Ok(a + b)
    }
}

struct Shout;

#[service]
impl Service<Vec<String>, String> for Shout {
    type Error = std::convert::Infallible;

    async fn call(&self, cx: &mut Vec<String>, mut req: String) -> Result<String, Self::Error> {
        req.push('!');
        cx.push(req.clone());
        tokio::task::yield_now().await;
        Ok(req)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(Sum.call(&mut (), (2, 3)).await, Ok(5));
    let mut cx = Vec::new();
    assert_eq!(Shout.call(&mut cx, "hi".to_owned()).await, Ok("hi!".to_owned()));
    assert_eq!(cx, ["hi!"]);
}
