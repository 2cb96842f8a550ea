#[motore::service]
struct Echo;

fn main() {
    let _ = Echo;
}
