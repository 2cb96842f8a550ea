struct Len;

#[motore::service]
impl motore::Service<(), Vec<u8>> for Len {
    async fn call(&self, _cx: &mut (), req: Vec<u8>) -> std::io::Result<usize> {
        Ok(req.len())
    }
}

fn main() {}
