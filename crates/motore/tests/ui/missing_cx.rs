struct Echo;

#[motore::service]
impl motore::Service<(), String> for Echo {
    async fn call(&self, req: String) -> Result<String, ()> {
        Ok(req)
    }
}

fn main() {}
