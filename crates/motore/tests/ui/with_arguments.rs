struct Echo;

#[motore::service(fast)]
impl motore::Service<(), String> for Echo {
    async fn call(&self, _cx: &mut (), req: String) -> Result<String, ()> {
        Ok(req)
    }
}

fn main() {}
