struct Echo;

#[motore::service]
impl Echo {
    async fn call(&self, _cx: &mut (), req: String) -> Result<String, ()> {
        Ok(req)
    }
}

fn main() {}
