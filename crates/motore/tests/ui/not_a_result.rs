struct Echo;

#[motore::service]
impl motore::Service<(), String> for Echo {
    async fn call(&self, _cx: &mut (), req: String) -> String {
        req
    }
}

fn main() {}
