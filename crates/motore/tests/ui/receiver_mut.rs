struct Counter {
    calls: u64,
}

#[motore::service]
impl motore::Service<(), String> for Counter {
    async fn call(&mut self, _cx: &mut (), req: String) -> Result<String, ()> {
        self.calls += 1;
        Ok(req)
    }
}

fn main() {}
