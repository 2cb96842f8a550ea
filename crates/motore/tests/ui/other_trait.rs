struct Wrap;

#[motore::service]
impl<S> motore::Layer<S> for Wrap {
    async fn call(&self, _cx: &mut (), req: S) -> Result<S, ()> {
        Ok(req)
    }
}

fn main() {}
