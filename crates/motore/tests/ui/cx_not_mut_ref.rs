struct Echo;

#[motore::service]
impl motore::Service<(), String> for Echo {
    async fn call(&self, cx: &(), req: String) -> Result<String, ()> {
        let _ = cx;
        Ok(req)
    }
}

fn main() {}
