//! The echo server on this repository's Volo: `--addr HOST:PORT --threads N`.
//! It detects pool and multiplexed connections itself, so `--transport` is
//! accepted and ignored.

use load_harness::{Parser, ServerArgs};

fn main() -> std::io::Result<()> {
    let args = ServerArgs::parse();
    load_harness::runtime(args.threads)?.block_on(async {
        let (addr, server) = load::bind(args.addr).await?;
        println!("listening on {addr}");
        server.await
    })
}
